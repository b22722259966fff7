import { DAY, HOUR, MINUTE, type Kit, type PlannedOrder } from './orders-kit.js';
import type { ActorRef } from './orders-sim.js';

/**
 * The work orders of the seed's news reports (shared/seed), with what the text says and neutral
 * filler only (times, phone numbers, the wording of routine steps):
 *
 * - 竹辉新村: residents' complaints about the ~100 m² heap of construction waste between 11幢 and
 *   17幢 (domestic garbage piling up, broken walls). The community and the street consulted the
 *   residents, inspected and assessed the site and decided to remove the heap and build a small
 *   garden; with the district's departments the waste was cleared, the ground re-cemented, the walls
 *   painted and decorated, plants added, wooden tables and chairs and the 海棠心愿箱 set in the
 *   middle: the 尚文竹辉 海棠有约议事厅. One order worked item by item, the others merged into it.
 * - 吴江经济技术开发区派出所: 杨先生 and his wife came to the household-registration hall near
 *   closing time to move their household registration; auxiliary officer 曹金 found the migration
 *   certificate issued by the original place was wrong, explained it, contacted the original police
 *   station until well after hours; the next morning they brought a new certificate and the
 *   migration was completed. Then 杨先生's 12345 praise order.
 */

export interface CaseOrders {
  orders: PlannedOrder[];
  /** When the garden (with the 海棠心愿箱) was handed over: wish-box orders of 竹辉 start after it. */
  gardenOpen: number;
}

const GARDEN_DAYS_AGO = 200;
const MIGRATION_DAYS_AGO = 40;

export function planCaseOrders(kit: Kit): CaseOrders {
  const garden = gardenOrders(kit);
  return { orders: [...garden.orders, ...migrationOrders(kit)], gardenOpen: garden.gardenOpen };
}

function gardenOrders(kit: Kit): CaseOrders {
  const { plan, rng } = kit;
  const b11 = plan.buildings.findIndex((b) => b.name === '竹辉新村11幢');
  const b17 = plan.buildings.findIndex((b) => b.name === '竹辉新村17幢');
  if (b11 < 0 || b17 < 0) throw new Error('demo orders: 竹辉新村11幢 and 17幢 are missing');
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const lng = round6((kit.building(b11).lng + kit.building(b17).lng) / 2);
  const lat = round6((kit.building(b11).lat + kit.building(b17).lat) / 2);
  const micro = plan.orgs.find(
    (o) => o.kind === 'micro_grid' && o.key.startsWith('zhuhui.') && o.box && lng > o.box.west && lng < o.box.east && lat > o.box.south && lat < o.box.north,
  );
  if (!micro) throw new Error('demo orders: the garden site is in no micro-grid of 竹辉');
  const grid = kit.org(micro.parentKey!);
  const address = '竹辉新村11幢与17幢之间';
  const staff = kit.dispatcherOf(micro.key);
  const leader = kit.supervisorOf(micro.key)!;
  // Neighbours of the heap who complain: residents of 11幢 and 17幢 (generated people, not the named ones).
  const named = new Set(Object.values(plan.named));
  const neighbours = (b: number) =>
    rng.shuffle(
      plan.households
        .map((h, i) => ({ h, i }))
        .filter(({ h }) => h.building === b)
        .map(({ i }) => kit.adultOf(i))
        .filter((r) => !named.has(r)),
    );
  const [n11a, n11b] = neighbours(b11);
  const [n17a, n17b] = neighbours(b17);
  // A member of 海棠先锋队 of that grid finds it on a door-to-door visit.
  const vanguard = plan.teams.find((t) => t.kind === 'vanguard')!;
  const visitor = plan.residents[vanguard.members.find((m) => m.gridKey === grid.key)!.resident]!.name;

  const base = (o: Partial<PlannedOrder> & Pick<PlannedOrder, 'channel' | 'title' | 'description' | 'key' | 'sim'>): PlannedOrder => ({
    categoryCode: 'garbage',
    urgency: 'normal',
    orgKey: micro.key,
    household: null,
    lng,
    lat,
    address,
    reporterResident: null,
    reporterName: null,
    reporterPhone: null,
    anonymous: false,
    accessCode: null,
    hotlineNumber: null,
    createdBy: null,
    praise: null,
    ...o,
  });
  const resident = (i: number) => ({ reporterResident: i, reporterName: plan.residents[i]!.name, reporterPhone: plan.residents[i]!.phone ?? kit.phone() });

  // The primary: logged on a visit, dispatched to the community, worked as a checklist.
  const d0 = kit.workingDayAt(kit.clock - GARDEN_DAYS_AGO * DAY, 10, 20);
  const day = (n: number, h: number, m = 0) => kit.nthWorkingDay(d0, n, h, m);
  const primary = kit.newSim(micro.key, 'garbage', 'normal');
  const p = primary.sim;
  p.intake(d0, { name: visitor }, { channel: 'visit', staff: true });
  const orders: PlannedOrder[] = [
    base({
      ...primary,
      channel: 'visit',
      title: '11幢与17幢之间建筑垃圾堆放，环境脏乱差',
      description:
        '竹辉新村11幢和17幢之间约100平米的空地长期堆放建筑垃圾，久而久之各种生活垃圾也陆续滋生，周边墙面多处破损，环境脏乱差，给周边居民生活带来很大烦恼。居民反映强烈，希望整治。',
      ...resident(n17a!),
    }),
  ];
  const works: [title: string, owner: { ownerOrgKey: string | null; ownerName: string | null }, doneAt: number, note: string][] = [
    ['现场查看垃圾堆放和墙面破损情况', { ownerOrgKey: 'canglang', ownerName: null }, day(1, 10), '已现场查看：约100平米建筑垃圾堆放地，夹杂生活垃圾，周边墙面多处破损。'],
    ['意见征询：听取周边居民对整治方式的意见', { ownerOrgKey: 'zhuhui', ownerName: null }, day(3, 16), '已完成意见征询。'],
    ['实地评估，确定整治方案', { ownerOrgKey: 'canglang', ownerName: null }, day(4, 11), '经实地评估，决定将垃圾堆移除，打造一个小花园。'],
    ['清运建筑垃圾和生活垃圾', { ownerOrgKey: null, ownerName: '区相关部门' }, day(7, 15), '在区相关部门的支持下，各种垃圾已清运一空。'],
    ['破损地面重新铺设水泥修补', { ownerOrgKey: null, ownerName: '区相关部门' }, day(9, 16), '破损地面已重新铺设水泥修补。'],
    ['周边破损墙面粉刷及墙面装饰', { ownerOrgKey: 'zhuhui', ownerName: null }, day(11, 15), '周边破损墙面已粉刷一新，并完成墙面装饰。'],
    ['增设花草绿植', { ownerOrgKey: 'zhuhui', ownerName: null }, day(12, 10), '已增设花草绿植。'],
    ['空地中央添置木桌木椅及海棠心愿箱', { ownerOrgKey: 'zhuhui', ownerName: null }, day(13, 10), '空地中央已添置木桌木椅以及海棠心愿箱。'],
  ];
  const handler = kit.handlerActor('zhuhui');
  p.act('dispatch', day(0, 14), staff, { handlerKey: 'zhuhui' });
  p.act('sign', day(0, 14, 30), handler);
  const itemIdx = works.map(([title, owner, doneAt], k) =>
    p.addItem(day(0, 14, 40) + k * MINUTE, handler, { title, ...owner, dueDate: new Date(doneAt + 8 * HOUR).toISOString().slice(0, 10) }),
  );
  const steps: [number, () => unknown][] = works.map(([, , doneAt, note], k) => [doneAt, () => p.updateItem(doneAt, handler, itemIdx[k]!, 'done', note)]);
  steps.push([day(4, 16), () => p.act('request_extension', day(4, 16), handler, { days: 10, note: '移除垃圾堆并改建小花园，需垃圾清运、地面修补、墙面粉刷、绿化和设施添置等多项施工，申请延期10个工作日。' })]);
  steps.push([day(5, 9, 30), () => p.act('approve_extension', day(5, 9, 30), leader)]);
  for (const [, step] of steps.sort((a, b) => a[0] - b[0])) step();
  const outcome =
    '11幢与17幢之间约100平米的垃圾堆已移除：各种垃圾清运一空，破损地面重新铺设水泥修补，周边破损墙面粉刷一新并做了墙面装饰，增设花草绿植，空地中央添置木桌木椅及海棠心愿箱，建成集学习交流、协商议事、休闲娱乐于一体的“尚文竹辉 海棠有约议事厅”小花园。';
  p.act('reply', day(13, 16), handler, { note: outcome });
  p.act('close', day(14, 10), staff, { note: '核查属实，垃圾堆已改造为小花园（尚文竹辉 海棠有约议事厅），予以结案。议事厅环境卫生由海棠先锋队伍、居民志愿者及物业工作人员轮值保障。' });
  p.act('callback', day(16, 10), staff, { satisfaction: 'satisfied', note: '回访反映人，表示满意。' });

  // Other residents' complaints about the same heap, merged into the primary.
  const dupes: { channel: PlannedOrder['channel']; at: number; title: string; description: string; resident: number }[] = [
    { channel: 'hotline', at: day(1, 9, 40), title: '反映11幢与17幢之间垃圾堆问题', description: '竹辉新村11幢和17幢之间的垃圾堆越堆越多，有建筑垃圾也有生活垃圾，希望尽快处理。', resident: n11a! },
    { channel: 'web', at: day(1, 20, 15), title: '', description: '11幢和17幢中间的空地成了垃圾堆，旁边的墙也破了好几处，希望社区管一管。', resident: n11b! },
    { channel: 'walk_in', at: day(2, 14, 50), title: '居民来访反映11幢与17幢之间垃圾堆放', description: '居民到社区反映11幢与17幢之间垃圾堆放、墙面破损，环境脏乱差，希望整治。', resident: n17b! },
  ];
  for (const d of dupes) {
    const { key, sim } = kit.newSim(micro.key, 'garbage', 'normal');
    const web = d.channel === 'web';
    sim.intake(d.at, web ? { name: plan.residents[d.resident]!.name } : staff, { channel: d.channel, staff: !web });
    sim.act('merge', kit.later(d.at, 10, 60), staff, { primary: primary.key });
    const r = resident(d.resident);
    orders.push(
      base({
        key,
        sim,
        channel: d.channel,
        title: web ? d.description.slice(0, 30) : d.title,
        description: d.description,
        ...(d.channel === 'hotline' ? { reporterName: kit.callerName(d.resident), reporterPhone: r.reporterPhone, hotlineNumber: kit.hotlineNumber(d.at) } : r),
        accessCode: web ? kit.accessCode() : null,
        createdBy: web ? null : accountOf(staff),
      }),
    );
  }
  return { orders, gardenOpen: p.closedAt! };
}

function migrationOrders(kit: Kit): PlannedOrder[] {
  const street = 'wjEtdz';
  const police = 'wjEtdz.police';
  const desk = kit.dispatcherOf(street);
  const officer = kit.handlerActor(police);
  const hall = '吴江经济技术开发区派出所户籍大厅';
  const phone = kit.phone();
  const common = {
    orgKey: street,
    household: null,
    lng: null,
    lat: null,
    address: hall,
    reporterResident: null,
    reporterName: '杨先生',
    reporterPhone: phone,
    anonymous: false,
    accessCode: null,
    createdBy: accountOf(desk),
  };

  // A working day followed by one: "次日上午" is a working morning.
  let visit = kit.workingDayAt(kit.clock - MIGRATION_DAYS_AGO * DAY, 16, 40);
  while (kit.nthWorkingDay(visit, 1, 0) - visit > DAY) visit = kit.workingDayAt(visit + DAY, 16, 40);
  const next = (h: number, m: number) => kit.nthWorkingDay(visit, 1, h, m);

  const migration = kit.newSim(street, 'hukou_migration', 'normal');
  const m = migration.sim;
  m.intake(visit, desk, { channel: 'walk_in', staff: true });
  m.act('dispatch', visit + 2 * MINUTE, desk, { handlerKey: police });
  m.act('sign', visit + 5 * MINUTE, officer);
  const check = m.addItem(visit + 8 * MINUTE, officer, { title: '核对原户籍地开具的迁移证', ownerOrgKey: police, ownerName: '曹金', dueDate: null })!;
  const contact = m.addItem(visit + 9 * MINUTE, officer, { title: '联系原户籍所在派出所重新开具迁移证', ownerOrgKey: police, ownerName: '曹金', dueDate: null })!;
  const settle = m.addItem(visit + 10 * MINUTE, officer, { title: '凭重新开具的迁移证办理户口迁移', ownerOrgKey: police, ownerName: '曹金', dueDate: null })!;
  m.updateItem(visit + 25 * MINUTE, officer, check, 'done', '原户籍地开具的迁移证存在问题，户口迁移无法办理，已将迁移证业务办理失误的情况一一告知杨先生夫妻。');
  m.updateItem(visit + 95 * MINUTE, officer, contact, 'done', '已过下班时间，仍积极联系原户籍所在派出所沟通，直至问题解决，原户籍地将重新开具迁移证。');
  m.updateItem(next(9, 20), officer, settle, 'done', '杨先生夫妻带着重新开具的迁移证前来，户口迁移已办理完成，成功落户吴江。');
  m.act('reply', next(9, 30), officer, { note: '户口迁移已办结：杨先生夫妻凭重新开具的迁移证完成户口迁移，成功落户吴江。' });
  m.act('close', next(10, 30), desk);
  m.act('callback', kit.nthWorkingDay(visit, 2, 10, 0), desk, { satisfaction: 'satisfied', note: '回访杨先生，表示满意。' });

  // "近日": the praise order from the 12345 platform, a few working days later.
  const at = kit.nthWorkingDay(visit, 5, 10, 5);
  const praise = kit.newSim(street, 'praise', 'normal');
  const p = praise.sim;
  p.intake(at, desk, { channel: 'hotline', staff: true });
  p.act('dispatch', at + 10 * MINUTE, desk, { handlerKey: police });
  p.act('sign', at + 40 * MINUTE, officer);
  p.act('reply', at + 70 * MINUTE, officer, { note: '已收到市民杨先生的表扬，感谢群众的认可，将继续做好户籍服务。' });
  p.act('close', at + 4 * HOUR, desk);
  p.act('callback', kit.nthWorkingDay(at, 1, 10, 0), desk, { satisfaction: 'satisfied' });

  return [
    {
      ...migration,
      ...common,
      channel: 'walk_in',
      categoryCode: 'hukou_migration',
      urgency: 'normal',
      title: '户口迁移：原户籍地迁移证有误无法落户',
      description:
        '杨先生与妻子到派出所户籍大厅办理户口迁移，轮到他们时已临近下班时间。办理中发现原户籍地开出的迁移证存在问题，户口迁移没办法顺利迁入辖区。',
      hotlineNumber: null,
      praise: null,
    },
    {
      ...praise,
      ...common,
      channel: 'hotline',
      categoryCode: 'praise',
      urgency: 'normal',
      title: '表扬吴江经济技术开发区派出所户籍窗口辅警曹金',
      description:
        '“派出所办理户籍业务的工作人员急群众所急，已过了下班时间仍然积极联系沟通，直至问题解决。”市民杨先生来电，表扬为其夫妻办理户口迁移的辅警曹金。',
      hotlineNumber: kit.hotlineNumber(at),
      praise: { person: '曹金', orgKey: police },
    },
  ];
}

export function accountOf(a: ActorRef): string | null {
  return 'account' in a ? a.account : null;
}
