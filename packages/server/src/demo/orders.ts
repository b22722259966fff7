import { maskPhone, OPEN_STATES, type Channel, type OrderState, type Satisfaction, type Urgency } from '@haitang/contracts';
import { sql, type Insertable, type Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB, WorkOrdersTable } from '../db/schema.js';
import { documentTerms } from '../lib/segment.js';
import { addWorkingMs, beijingDate } from '../lib/working-time.js';
import { loadCalendar } from '../modules/calendar/calendar.service.js';
import { accessCodeHash } from '../modules/workorders/order.intake.js';
import { searchableText, writeOrderTerms } from '../modules/workorders/order.fts.js';
import { accountsAt, dispatchersOf, orderNumber } from '../modules/workorders/order.repository.js';
import { HANDLER_ROLES } from '../modules/workorders/order.transition.js';
import { slaLimits, type SlaLimits } from '../modules/workorders/order.sla.js';
import { DEFAULT_CATEGORIES } from '../modules/workorders/reference-data.js';
import type { DemoPlan } from './plan.js';
import { createRng } from './prng.js';
import { accountOf, planCaseOrders } from './orders-cases.js';
import { DAY, demoClock, HOUR, Kit, MINUTE, shortBuilding, beijingDayStart, type OrderInputs, type PlannedOrder } from './orders-kit.js';
import type { ActorRef, OrderSim } from './orders-sim.js';
import {
  CALLBACK_NOTES,
  CATEGORY_TEXT,
  DENY_NOTES,
  EXTENSION_NOTES,
  fill,
  ITEM_DONE_NOTES,
  ITEM_WAIVED_NOTE,
  REJECT_NOTES,
  REOPEN_NOTES,
  RETURN_NOTES,
  SEND_BACK_NOTES,
  SUPERVISE_NOTES,
  type ProblemText,
} from './orders-text.js';

/**
 * A year of work orders across the demo grids, ending at the demo clock (the start of the current
 * Beijing day), plus the seed's own cases (orders-cases.ts). Each order is played forward through
 * the transition table by OrderSim; steps that would fall after the clock are not taken, so the
 * most recent orders are open in every state. Deterministic for a seed and a day.
 */

export { demoClock } from './orders-kit.js';
export type { PlannedOrder } from './orders-kit.js';

interface CommunityOrders {
  community: string;
  perYear: number;
  channels: readonly (readonly [Channel, number])[];
}

/** Orders a year per community, roughly in proportion to households, and where they come from. */
export const COMMUNITY_ORDERS: readonly CommunityOrders[] = [
  { community: 'zhuhui', perYear: 1700, channels: [['hotline', 27], ['visit', 22], ['patrol', 13], ['web', 15], ['walk_in', 12], ['wish_box', 8]] },
  { community: 'lvsg', perYear: 420, channels: [['hotline', 30], ['visit', 18], ['patrol', 20], ['web', 17], ['walk_in', 15]] },
  { community: 'taohuawu', perYear: 160, channels: [['hotline', 35], ['visit', 20], ['patrol', 15], ['web', 15], ['walk_in', 15]] },
  { community: 'fenghuiyuan', perYear: 320, channels: [['hotline', 35], ['visit', 20], ['patrol', 15], ['web', 15], ['walk_in', 15]] },
];

/** Volume by month (January first): a quieter Spring Festival, a busier rainy summer. */
const MONTH_FACTOR = [0.8, 0.7, 0.9, 1, 1, 1.15, 1.2, 1.15, 1, 0.9, 1, 0.9];

/** Chance that an order is registered on a working day / on another day, by channel. */
const DAY_WEIGHT: Record<Channel, [number, number]> = {
  web: [1, 0.7],
  hotline: [1, 0.08],
  visit: [1, 0.05],
  patrol: [1, 0.15],
  walk_in: [1, 0],
  wish_box: [1, 0],
  open311: [1, 1],
};

/** Web reports by hour of the day (Beijing). */
const WEB_HOURS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 5, 4, 3, 4, 3, 3, 3, 3, 3, 4, 6, 7, 6, 4, 2];

/** Office slots (start hour, end hour, weight): mornings are busier. */
const OFFICE_SLOTS: readonly (readonly [number, number, number])[] = [
  [8.5, 10, 3],
  [10, 11.75, 3],
  [13.5, 15, 2.5],
  [15, 17.25, 2],
];

const CATEGORY_CODES = DEFAULT_CATEGORIES.flatMap((c) => c.children.map((x) => x.code));

const SATISFACTION: readonly (readonly [Satisfaction, number])[] = [['satisfied', 86], ['basically_satisfied', 10], ['dissatisfied', 4]];

export function planDemoOrders(inp: OrderInputs): PlannedOrder[] {
  const kit = new Kit(inp, createRng((inp.seed ^ 0x5eed0de5) >>> 0));
  const cases = planCaseOrders(kit);
  const orders = [...cases.orders];
  for (const c of COMMUNITY_ORDERS) {
    for (let i = 0; i < c.perYear; i++) orders.push(generateOrder(kit, c, cases.gardenOpen));
  }
  orders.push(...ensureOpenWork(kit, orders, cases.gardenOpen));
  orders.push(...duplicates(kit, orders));
  return orders.sort((a, b) => a.sim.createdAt - b.sim.createdAt || a.key - b.key);
}

function monthOf(t: number): number {
  return Number(beijingDate(t).slice(5, 7));
}

/** When an order of the channel is registered: a weighted day of the past year and an hour. */
function creationTime(kit: Kit, channel: Channel, notBefore: number | null): number {
  const { rng } = kit;
  const today = beijingDayStart(kit.clock);
  for (;;) {
    const day = today - rng.int(1, 365) * DAY;
    if (notBefore !== null && day < notBefore) continue;
    const working = kit.isWorkingDay(day);
    let w = DAY_WEIGHT[channel][working ? 0 : 1] * MONTH_FACTOR[monthOf(day) - 1]!;
    // The wish box is opened on the first working day after a weekend or holiday.
    if (channel === 'wish_box' && kit.isWorkingDay(day - DAY)) w = 0;
    if (!rng.chance(w / 1.2)) continue;
    if (channel === 'web') {
      const hour = rng.weighted(WEB_HOURS.map((x, h) => [h, x] as const));
      return day + hour * HOUR + rng.int(0, 59) * MINUTE;
    }
    if (channel === 'wish_box') return day + 9 * HOUR + rng.int(0, 50) * MINUTE;
    if (!working) return day + 9 * HOUR + rng.int(0, 150) * MINUTE;
    const [from, to] = rng.weighted(OFFICE_SLOTS.map(([a, b, x]) => [[a, b], x] as const));
    return day + Math.round((from + rng.next() * (to - from)) * 60) * MINUTE;
  }
}

function pickCategory(kit: Kit, community: string, channel: Channel, at: number): string {
  const summer = [6, 7, 8, 9].includes(monthOf(at));
  const options = CATEGORY_CODES.flatMap((code) => {
    const c = CATEGORY_TEXT[code];
    if (!c) return [];
    if (channel === 'patrol' && !c.patrol) return [];
    if (code === 'praise' && (!['hotline', 'walk_in'].includes(channel) || !['zhuhui', 'lvsg'].includes(community))) return [];
    if (code === 'elevator' && community !== 'fenghuiyuan') return [];
    return [[code, c.weight + (summer ? (c.summer ?? 0) : 0)] as const];
  });
  return kit.rng.weighted(options);
}

interface Place {
  orgKey: string;
  household: number | null;
  lng: number;
  lat: number;
  address: string;
  vars: { addr: string; b: string; u: string; estate: string };
}

function pickPlace(kit: Kit, community: string, where: ProblemText['where']): Place {
  const { rng, plan } = kit;
  const micros = plan.orgs.filter((o) => o.kind === 'micro_grid' && o.key.startsWith(`${community}.`));
  const micro = rng.weighted(micros.map((m) => [m, 1 + (kit.householdsByMicro.get(m.key)?.length ?? 0)] as const));
  const estate = plan.buildings[kit.buildingsByMicro.get(micro.key)![0]!]!.name.replace(/\d+幢$/, '');
  if (where === 'home') {
    const h = rng.pick(kit.householdsByMicro.get(micro.key)!);
    const hh = plan.households[h]!;
    const b = kit.building(hh.building);
    return { orgKey: micro.key, household: h, lng: b.lng, lat: b.lat, address: hh.address, vars: { addr: hh.address, b: shortBuilding(b.name), u: hh.unitLabel, estate } };
  }
  const buildings = kit.buildingsByMicro.get(micro.key)!;
  if (where === 'building') {
    const b = kit.building(rng.pick(buildings));
    const units = plan.households.filter((h) => plan.buildings[h.building] === b).map((h) => h.unitLabel);
    const u = rng.pick([...new Set(units)]);
    return { orgKey: micro.key, household: null, lng: b.lng, lat: b.lat, address: `${b.name}${u}`, vars: { addr: `${b.name}${u}`, b: shortBuilding(b.name), u, estate } };
  }
  const p = kit.pointIn(micro.box!);
  const near = buildings.map((i) => kit.building(i)).sort((x, y) => Math.hypot(x.lng - p.lng, x.lat - p.lat) - Math.hypot(y.lng - p.lng, y.lat - p.lat))[0]!;
  return { orgKey: micro.key, household: null, ...p, address: `${near.name}附近`, vars: { addr: `${near.name}附近`, b: shortBuilding(near.name), u: '', estate } };
}

/** The unit an order of the category is dispatched to, by weight, among the units the place has. */
function handlerOptions(kit: Kit, code: string, placeKey: string): [string, number][] {
  const community = kit.ofKind(placeKey, 'community')!.key;
  const grid = kit.ofKind(placeKey, 'grid')!.key;
  const street = kit.ofKind(placeKey, 'street')!.key;
  const has = (k: string) => kit.orgs.has(k) && kit.org(k).kind === 'department' && kit.org(k).parentKey === street;
  const property = `${community}.property`;
  const police = `${street}.police`;
  const cityMgmt = `${street}.cityMgmt`;
  const table: Record<string, [string, number][]> = {
    property: [[property, 6], [grid, 2], [community, 1]],
    municipal: [[cityMgmt, 5], [property, 3], [community, 2], [grid, 1]],
    neighbours: [[grid, 6], [police, 2], [community, 1]],
    security: [[police, 6], [grid, 3], [property, 1]],
    fire: [[cityMgmt, 3], [property, 3], [grid, 3]],
    police: [[police, 1]],
    care: [[community, 1]],
    other: [[community, 3], [grid, 2]],
  };
  const group: Record<string, string> = {
    garbage: 'property', corridor_clutter: 'property', greenery: 'property', elevator: 'property', water_leak: 'property', parking: 'property',
    road_damage: 'municipal', street_light: 'municipal', drain_blocked: 'municipal',
    noise: 'neighbours', dispute_other: 'neighbours',
    security_risk: 'security', fire_risk: 'fire',
    hukou_migration: 'police', certificates: 'police',
    home_care: 'care', meal_service: 'care',
    other_matters: 'other',
  };
  const options = table[group[code] ?? 'other']!.filter(([k]) => k === grid || k === community || has(k));
  return options.length ? options : [[community, 1], [grid, 1]];
}

/** Fraction of the handling limit used before the reply: mostly well inside it, a few overdue. */
function handlingShare(kit: Kit, stuck: boolean): number {
  const { rng } = kit;
  if (stuck) return 1.1 + rng.next() * 1.4;
  if (rng.chance(0.015)) return 1.02 + rng.next() * 0.6;
  return 0.04 + 0.8 * rng.next() ** 1.5;
}

/** What a generated order is made to be (ensureOpenWork): its channel, intake time and the step it waits for. */
interface Forced {
  channel: Channel;
  created: number;
  stall: Stall;
}

/**
 * Whatever the day, the demo shows open work in every state and an extension awaiting approval:
 * for each one missing, one more recent order of 竹辉 waits at that step.
 */
function ensureOpenWork(kit: Kit, orders: PlannedOrder[], gardenOpen: number): PlannedOrder[] {
  const out: PlannedOrder[] = [];
  const want: [OrderState | 'pending_extension', Stall, Channel, number][] = [
    ['submitted', 'accept', 'web', 1],
    ['accepted', 'dispatch', 'hotline', 1],
    ['dispatched', 'sign', 'hotline', 1],
    ['in_progress', 'reply', 'hotline', 3],
    ['replied', 'close', 'hotline', 3],
    ['pending_extension', 'decide', 'hotline', 4],
  ];
  const has = (state: string) =>
    [...orders, ...out].some((o) => (state === 'pending_extension' ? o.sim.pendingExtension !== null && o.sim.status === 'in_progress' : o.sim.status === state));
  const zhuhui = COMMUNITY_ORDERS.find((c) => c.community === 'zhuhui')!;
  for (const [state, stall, channel, daysBack] of want) {
    // The last working day(s) before the clock, in the morning.
    let day = beijingDayStart(kit.clock);
    for (let k = 0; k < daysBack; ) {
      day -= DAY;
      if (kit.isWorkingDay(day)) k++;
    }
    for (let attempt = 0; attempt < 20 && !has(state); attempt++) {
      const o = generateOrder(kit, zhuhui, gardenOpen, { channel, created: day + 9 * HOUR + kit.rng.int(0, 120) * MINUTE, stall });
      if (state === 'pending_extension' ? o.sim.pendingExtension !== null : o.sim.status === state) out.push(o);
    }
  }
  return out;
}

function generateOrder(kit: Kit, c: CommunityOrders, gardenOpen: number, force?: Forced): PlannedOrder {
  const { rng, plan } = kit;
  const channel = force?.channel ?? rng.weighted(c.channels);
  const created = force?.created ?? creationTime(kit, channel, channel === 'wish_box' ? gardenOpen : null);
  const code = pickCategory(kit, c.community, channel, created);
  const text = CATEGORY_TEXT[code]!;
  const urgency = rng.weighted(text.urgencies);
  const problems = text.problems.filter((p) => channel !== 'patrol' || p.where !== 'home');
  const problem = rng.pick(problems);
  const place = pickPlace(kit, c.community, problem.where);
  const grid = kit.ofKind(place.orgKey, 'grid')!;

  // Who reports: the household, a neighbour in the micro-grid, or (12345) a caller by surname.
  const neighbour = () => {
    const hs = kit.householdsByMicro.get(place.orgKey)!;
    return kit.adultOf(rng.pick(hs));
  };
  let reporterResident: number | null = place.household !== null ? kit.adultOf(place.household) : channel === 'patrol' ? null : neighbour();
  let reporterName: string | null = reporterResident === null ? null : plan.residents[reporterResident]!.name;
  let reporterPhone: string | null = reporterResident === null ? null : plan.residents[reporterResident]!.phone;
  let praise: PlannedOrder['praise'] = null;
  let person: string | undefined;
  if (code === 'praise') {
    const team = plan.teams.find((t) => t.members.some((m) => m.gridKey === grid.key))!;
    person = plan.residents[rng.pick(team.members.filter((m) => m.gridKey === grid.key)).resident]!.name;
    praise = { person, orgKey: grid.key };
  }
  if (channel === 'hotline') {
    const fromResident = reporterResident !== null && rng.chance(0.7) ? reporterResident : null;
    reporterName = kit.callerName(fromResident);
    reporterPhone = (fromResident !== null ? plan.residents[fromResident]!.phone : null) ?? kit.phone();
    reporterResident = null;
  }
  if (channel === 'web') reporterPhone ??= kit.phone();
  if (channel === 'wish_box') reporterPhone = null;
  const anonymous = (channel === 'web' && rng.chance(0.15)) || (channel === 'hotline' && rng.chance(0.05));

  const description = fill(problem.text, { ...place.vars, person });
  const title = channel === 'web' ? description.slice(0, 30) : fill(problem.title, { ...place.vars, person });
  const { key, sim } = kit.newSim(place.orgKey, code, urgency);
  const staff = channel !== 'web';
  const dispatcher = kit.dispatcherOf(place.orgKey);
  // Visits and patrols are logged by the grid's worker (in 竹辉 often a member of 海棠先锋队).
  let intakeActor: ActorRef = dispatcher;
  if (channel === 'visit' || channel === 'patrol') {
    const vanguard = plan.teams.find((t) => t.kind === 'vanguard' && t.orgKey === c.community);
    const members = vanguard?.members.filter((m) => m.gridKey === grid.key) ?? [];
    intakeActor = members.length && channel === 'visit' && rng.chance(0.5) ? { name: plan.residents[rng.pick(members).resident]!.name } : kit.handlerActor(grid.key);
  }
  if (channel === 'web') intakeActor = { name: anonymous ? '匿名居民' : reporterName! };

  const onSpot = !force && (channel === 'visit' || channel === 'patrol') && text.onSpot !== undefined && urgency !== 'emergency' && rng.chance(0.55);
  const complex = !onSpot && text.checklist !== undefined && rng.chance(0.14);
  const checklist = complex ? rng.pick(text.checklist!) : null;
  const itemsAtIntake = checklist !== null && channel === 'visit' && rng.chance(0.5);
  sim.intake(created, intakeActor, {
    channel,
    staff,
    onSpotNote: onSpot ? rng.pick(text.onSpot!) : null,
    items: itemsAtIntake ? checklist!.map((title) => ({ title, ownerOrgKey: null, ownerName: null, dueDate: null })) : [],
  });

  const options = handlerOptions(kit, code, place.orgKey);
  const handler = praise ? praise.orgKey! : rng.weighted(options);
  const wrong = options.map(([k]) => k).filter((k) => k !== handler);
  const order: PlannedOrder = {
    key,
    channel,
    categoryCode: code,
    urgency,
    title,
    description,
    orgKey: place.orgKey,
    household: place.household,
    lng: place.lng,
    lat: place.lat,
    address: place.address,
    reporterResident,
    reporterName,
    reporterPhone,
    anonymous,
    accessCode: channel === 'web' ? kit.accessCode() : null,
    hotlineNumber: channel === 'hotline' ? kit.hotlineNumber(created) : null,
    createdBy: staff ? accountOf(intakeActor) : null,
    praise,
    sim,
  };
  // Orders of the last weeks that got stuck: most are still open now, and overdue.
  const stuck = !force && kit.clock - created < 25 * DAY && rng.chance(0.08);
  // Recent orders waiting for their next step at the clock: the open work of every state.
  const stall: Stall | null = force ? force.stall :
    !onSpot && kit.clock - created < 8 * DAY && rng.chance(0.5)
      ? rng.weighted<Stall>([
          // Waiting to be accepted, dispatched or signed for: only the last two days' orders.
          ['accept', channel === 'web' && kit.clock - created < 2 * DAY ? 3 : 0],
          ['dispatch', kit.clock - created < 2 * DAY ? 2 : 0],
          ['sign', kit.clock - created < 2 * DAY ? 2 : 0],
          ['decide', 1.5],
          ['reply', 3],
          ['close', 2],
        ])
      : null;
  play(kit, order, {
    handler,
    wrongHandler: wrong.length && rng.chance(0.04) ? rng.pick(wrong) : null,
    checklist: itemsAtIntake ? null : checklist,
    stuck,
    stall,
    reply: rng.pick(text.replies),
  });
  return order;
}

/** The step an order waits for at the clock (decide: an extension request awaiting approval). */
type Stall = 'accept' | 'dispatch' | 'sign' | 'decide' | 'reply' | 'close';

interface Script {
  handler: string;
  wrongHandler: string | null;
  /** Items the handler adds after signing for the order. */
  checklist: string[] | null;
  stuck: boolean;
  stall: Stall | null;
  reply: string;
}

/** Plays an order from intake to its callback (or as far as the clock allows). */
function play(kit: Kit, o: PlannedOrder, s: Script): void {
  const { rng } = kit;
  const sim = o.sim;
  const D = kit.dispatcherOf(o.orgKey);
  const emergency = o.urgency === 'emergency';
  let t = sim.last;
  if (sim.status === 'submitted') {
    if (s.stall === 'accept') return void sim.halt();
    t = kit.later(t, 10, 300);
    if (rng.chance(0.05)) {
      sim.act('reject', t, D, { note: rng.pick(REJECT_NOTES) });
      return;
    }
    if (!sim.act('accept', t, D)) return;
  }
  if (sim.status === 'accepted') {
    const dispatchAt = (from: number) => (emergency ? kit.duty(from, 3, 15) : o.urgency === 'urgent' ? kit.later(from, 5, 60) : kit.later(from, 10, 240));
    if (s.wrongHandler) {
      t = dispatchAt(t);
      if (!sim.act('dispatch', t, D, { handlerKey: s.wrongHandler })) return;
      const W = kit.handlerActor(s.wrongHandler);
      if (rng.chance(0.5)) {
        t = signAt(kit, sim, o);
        if (!sim.act('sign', t, W)) return;
      }
      t = kit.later(t, 20, 400);
      if (!sim.can('return', t)) t = sim.last + rng.int(5, 30) * MINUTE;
      if (!sim.act('return', t, W, { note: rng.pick(RETURN_NOTES) })) return;
    }
    if (s.stall === 'dispatch') return void sim.halt();
    t = dispatchAt(sim.last);
    if (!sim.act('dispatch', t, D, { handlerKey: s.handler })) return;
    if (!handle(kit, o, s, D)) return;
  }
  evaluate(kit, o, D);
}

function signAt(kit: Kit, sim: OrderSim, o: PlannedOrder): number {
  const { rng } = kit;
  const d = sim.dispatchedAt!;
  if (o.urgency === 'emergency') return kit.duty(d, 3, 30);
  let t = o.urgency === 'urgent' ? kit.later(d, 5, 90) : kit.later(d, 10, 300);
  // Units on duty sign before the deadline even out of office hours; a few sign late.
  if (t > sim.signDue! && rng.chance(0.85)) t = Math.max(d + 5 * MINUTE, sim.signDue! - rng.int(10, 120) * MINUTE);
  return t;
}

/** From dispatched to replied: sign, checklist, extension, supervision, reply, verification, close. */
function handle(kit: Kit, o: PlannedOrder, s: Script, D: ActorRef): boolean {
  const { rng } = kit;
  const sim = o.sim;
  const H = kit.handlerActor(s.handler);
  if (s.stall === 'sign') return sim.halt();
  if (!sim.act('sign', signAt(kit, sim, o), H)) return false;
  const signedAt = sim.last;
  const limits = sim.env.limits;
  const clockHours = limits.handleUnit === 'hours';
  const limitMs = limits.handleLimit * (clockHours ? HOUR : DAY);
  const after = (share: number) => (clockHours ? sim.dispatchedAt! + share * limitMs : addWorkingMs(kit.cal, sim.dispatchedAt!, share * limitMs));
  const settle = (x: number) => (clockHours ? x : kit.office(x));

  const steps: { at: number; run: (at: number) => boolean }[] = [];
  const complex = s.checklist !== null || sim.items.length > 0;
  const pending = s.stall === 'decide' && !clockHours;
  const extension = pending || (!clockHours && rng.chance(complex ? 0.35 : 0.04));
  const extensionDays = rng.int(3, 8);
  const approved = rng.chance(0.8);
  let share = clockHours ? 0.3 + rng.next() * 0.4 : handlingShare(kit, s.stuck);
  if (extension) share = 0.75 + rng.next() * 0.2;
  let replyAt = settle(after(share));
  if (extension) {
    const requestAt = settle(after(0.55 + rng.next() * 0.15));
    const decideAt = kit.later(requestAt, 30, 300);
    const note = rng.pick(EXTENSION_NOTES);
    steps.push({ at: requestAt, run: (at) => sim.act('request_extension', at, H, { days: extensionDays, note }) });
    if (pending) steps.push({ at: requestAt + MINUTE, run: () => sim.halt() });
    else steps.push({
      at: decideAt,
      run: (at) => (approved ? sim.act('approve_extension', at, D) : sim.act('deny_extension', at, D, { note: rng.pick(DENY_NOTES) })),
    });
    if (approved) replyAt = settle(addWorkingMs(kit.cal, sim.dispatchedAt!, (limits.handleLimit + extensionDays * (0.5 + rng.next() * 0.45)) * DAY));
    replyAt = Math.max(replyAt, kit.later(decideAt, 60, 600));
  }
  // Checklist: added right after signing, each item settled on the way to the reply.
  if (complex) {
    const addAt = signedAt + rng.int(5, 40) * MINUTE;
    const titles = s.checklist ?? [];
    titles.forEach((title, i) => {
      const at = addAt + i * MINUTE;
      steps.push({
        at,
        run: (when) => sim.addItem(when, H, { title, ownerOrgKey: s.handler, ownerName: null, dueDate: beijingDate(after(0.9)) }) !== null,
      });
    });
    const count = sim.items.length + titles.length;
    const span = Math.max(replyAt - addAt - count * MINUTE, count * 10 * MINUTE);
    for (let i = 0; i < count; i++) {
      const at = settle(addAt + count * MINUTE + ((i + 1) / (count + 0.5)) * span);
      const waived = i === count - 2 && rng.chance(0.15);
      steps.push({ at, run: (when) => sim.updateItem(when, H, i, waived ? 'waived' : 'done', waived ? ITEM_WAIVED_NOTE : rng.pick(ITEM_DONE_NOTES)) });
    }
  }
  const supervisor = kit.supervisorOf(o.orgKey);
  if (supervisor && ((share > 0.85 && rng.chance(0.5)) || rng.chance(0.01))) {
    const at = settle(after(Math.min(share, 1.2) * 0.85));
    steps.push({ at, run: (when) => sim.act('supervise', when, supervisor, { note: rng.pick(SUPERVISE_NOTES) }) });
  }
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    if (!step.run(Math.max(step.at, sim.last))) return false;
  }
  if (s.stall === 'reply' || s.stall === 'decide') return sim.halt();
  replyAt = Math.max(replyAt, sim.last + rng.int(5, clockHours ? 20 : 60) * MINUTE);
  if (!sim.act('reply', replyAt, H, { note: s.reply })) return false;
  if (s.stall === 'close') return sim.halt();

  // Verification by the dispatcher: now and then the work is sent back first.
  let t = clockHours ? kit.duty(replyAt, 5, 25) : kit.later(replyAt, 30, 600);
  // Staff watch the deadlines: a reply that came in time is mostly verified in time too.
  const due = sim.handleDue!;
  if (t > due && replyAt < due - 15 * MINUTE && rng.chance(0.9)) t = replyAt + 5 * MINUTE + rng.next() * (due - replyAt - 10 * MINUTE);
  if (rng.chance(0.04)) {
    if (!sim.act('send_back', t, D, { note: rng.pick(SEND_BACK_NOTES) })) return false;
    t = kit.afterWorking(t, 2, 20);
    if (!sim.act('reply', t, H, { note: `已按核查意见重新处理：${s.reply}` })) return false;
    t = kit.later(t, 30, 480);
  }
  return sim.act('close', t, D);
}

/** Callback (回访) after closing; a dissatisfied reporter may get the order reopened and redone. */
function evaluate(kit: Kit, o: PlannedOrder, D: ActorRef): void {
  const { rng } = kit;
  const sim = o.sim;
  if (sim.status !== 'closed' || !rng.chance(0.93)) return;
  const callback = (at: number, satisfaction: Satisfaction) => {
    if (o.channel === 'web' && rng.chance(0.4)) {
      return sim.act('callback', at, { name: o.anonymous ? '匿名居民' : (o.reporterName ?? '居民') }, { satisfaction, data: { by: 'reporter' } });
    }
    return sim.act('callback', at, D, { satisfaction, note: rng.pick(CALLBACK_NOTES[satisfaction]) });
  };
  let t = kit.afterWorking(sim.last, 2, 40);
  const satisfaction = rng.weighted(SATISFACTION);
  if (!callback(t, satisfaction)) return;
  if (satisfaction !== 'dissatisfied' || !rng.chance(0.7)) return;
  t = kit.later(t, 30, 480);
  if (!sim.act('reopen', t, D, { note: rng.pick(REOPEN_NOTES) })) return;
  const H = kit.handlerActor(sim.handlerKey!);
  t = kit.afterWorking(t, 4, 60);
  if (!sim.act('reply', t, H, { note: `重办：${rng.pick(CATEGORY_TEXT[o.categoryCode]!.replies)}` })) return;
  t = kit.later(t, 30, 480);
  if (!sim.act('close', t, D)) return;
  callback(kit.afterWorking(t, 2, 30), rng.chance(0.8) ? 'satisfied' : 'basically_satisfied');
}

/** The state of an order at an instant, from its events. */
function stateAt(o: PlannedOrder, at: number): OrderState | null {
  let s: OrderState | null = null;
  for (const e of o.sim.events) {
    if (e.at > at) break;
    s = e.to;
  }
  return s;
}

/** Repeated reports of the same problem, merged into the order already being worked. */
function duplicates(kit: Kit, orders: PlannedOrder[]): PlannedOrder[] {
  const { rng, plan } = kit;
  const out: PlannedOrder[] = [];
  for (const primary of orders) {
    const p = primary.sim;
    if (p.dispatchedAt === null || primary.praise || primary.orgKey.startsWith('wjEtdz') || primary.sim.mergedInto !== null || !rng.chance(0.03)) continue;
    const openUntil = Math.min(p.closedAt ?? kit.clock, kit.clock);
    const from = p.acceptedAt! + 2 * HOUR;
    if (openUntil - from < 8 * HOUR) continue;
    const channel = rng.weighted([['hotline', 5], ['web', 3], ['walk_in', 2]] as const);
    const created = channel === 'web' ? from + rng.next() * (openUntil - from) * 0.6 : kit.office(from + rng.next() * (openUntil - from) * 0.6);
    const mergeAt = kit.later(created, 10, 240);
    if (mergeAt >= openUntil || created >= kit.clock) continue;
    const openThen = (at: number) => OPEN_STATES.includes(stateAt(primary, at)!);
    if (!openThen(created) || !openThen(mergeAt)) continue;
    const hs = kit.householdsByMicro.get(primary.orgKey)!;
    const resident = kit.adultOf(rng.pick(hs));
    const r = plan.residents[resident]!;
    const D = kit.dispatcherOf(primary.orgKey);
    const { key, sim } = kit.newSim(primary.orgKey, primary.categoryCode, primary.urgency);
    const anonymous = channel === 'web' && rng.chance(0.15);
    sim.intake(created, channel === 'web' ? { name: anonymous ? '匿名居民' : r.name } : D, { channel, staff: channel !== 'web' });
    sim.act('merge', mergeAt, D, { primary: primary.key });
    const description = `${rng.pick(['又有居民反映：', '居民再次反映：', ''])}${primary.description}`;
    out.push({
      ...primary,
      key,
      sim,
      channel,
      title: channel === 'web' ? description.slice(0, 30) : primary.title,
      description,
      household: primary.household,
      reporterResident: channel === 'hotline' ? null : resident,
      reporterName: channel === 'hotline' ? kit.callerName(resident) : r.name,
      reporterPhone: r.phone ?? kit.phone(),
      anonymous,
      accessCode: channel === 'web' ? kit.accessCode() : null,
      hotlineNumber: channel === 'hotline' ? kit.hotlineNumber(created) : null,
      createdBy: channel === 'web' ? null : accountOf(D),
      praise: null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface OrderWriteIds {
  orgId: (key: string) => number;
  householdIds: readonly number[];
  residentIds: readonly number[];
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

async function insertChunks<T extends 'work_orders' | 'order_events' | 'order_items'>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]) {
  if (!rows.length) return;
  const size = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The limits of every category and urgency, resolved once with the server's own lookup. */
async function loadLimits(trx: Transaction<DB>): Promise<{ ids: Map<string, number>; limits: OrderInputs['limits'] }> {
  const cats = await trx.selectFrom('order_categories').select(['id', 'code']).execute();
  const ids = new Map(cats.map((c) => [c.code, c.id]));
  const cache = new Map<string, SlaLimits>();
  for (const code of Object.keys(CATEGORY_TEXT)) {
    const id = ids.get(code);
    if (id === undefined) throw new Error(`demo orders: category ${code} is missing`);
    for (const u of ['normal', 'urgent', 'emergency'] as Urgency[]) cache.set(`${code}|${u}`, await slaLimits(trx, id, u));
  }
  return { ids, limits: (code, u) => cache.get(`${code}|${u}`)! };
}

/**
 * Plans the orders on the calendar and SLA rules of the database and writes them: orders (with
 * reporter phones encrypted, hashed and masked as intake stores them), items, the event timeline in
 * time order, and the search terms. Returns the number of orders by state.
 */
export async function writeDemoOrders(
  trx: Transaction<DB>,
  ctx: AppContext,
  plan: DemoPlan,
  ids: OrderWriteIds,
  now: string,
): Promise<Record<string, number>> {
  const cal = await loadCalendar(trx);
  const { ids: categoryIds, limits } = await loadLimits(trx);
  const orders = planDemoOrders({ plan, cal, limits, clock: demoClock(Date.parse(now)), seed: plan.seed });

  const usernames = [...new Set(orders.flatMap((o) => [o.createdBy, ...o.sim.events.map((e) => accountOf(e.actor))]).filter((u): u is string => u !== null))];
  const accounts = await trx.selectFrom('accounts').select(['id', 'username', 'display_name']).where('username', 'in', usernames).execute();
  const account = new Map(accounts.map((a) => [a.username, a]));
  const actorOf = (a: ActorRef) => {
    if ('name' in a) return { id: null, name: a.name };
    const acc = account.get(a.account);
    if (!acc) throw new Error(`demo orders: no account ${a.account}`);
    return { id: acc.id, name: acc.display_name };
  };
  const orgIds = new Map<string, number>();
  const orgId = (key: string) => orgIds.get(key) ?? orgIds.set(key, ids.orgId(key)).get(key)!;
  const orgName = (key: string) => plan.orgs.find((o) => o.key === key)!.name;

  const temp = (o: PlannedOrder) => `HT${beijingDate(o.sim.createdAt).replaceAll('-', '')}-demo-${o.key}`;
  const rows: Insertable<WorkOrdersTable>[] = orders.map((o) => {
    const s = o.sim;
    const phone = o.reporterPhone;
    return {
      number: temp(o),
      hotline_number: o.hotlineNumber,
      channel: o.channel,
      category_id: categoryIds.get(o.categoryCode)!,
      urgency: o.urgency,
      title: o.title,
      description: o.description,
      original_description: o.description,
      org_id: orgId(o.orgKey),
      household_id: o.household === null ? null : ids.householdIds[o.household]!,
      lng: o.lng,
      lat: o.lat,
      address: o.address,
      reporter_resident_id: o.reporterResident === null ? null : ids.residentIds[o.reporterResident]!,
      reporter_account_id: null,
      reporter_name: o.reporterName,
      reporter_phone_enc: phone ? ctx.crypto.encrypt(phone) : null,
      reporter_phone_hash: phone ? ctx.crypto.lookupHash(phone) : null,
      reporter_phone_masked: phone ? maskPhone(phone) : null,
      anonymous: o.anonymous ? 1 : 0,
      access_code_hash: o.accessCode ? accessCodeHash(o.accessCode) : null,
      handler_org_id: s.handlerKey === null ? null : orgId(s.handlerKey),
      created_by: o.createdBy === null ? null : account.get(o.createdBy)!.id,
      status: s.status!,
      merged_into_id: null,
      praise: o.praise ? 1 : 0,
      praised_person: o.praise?.person ?? null,
      praised_org_id: o.praise?.orgKey ? orgId(o.praise.orgKey) : null,
      on_the_spot: s.onTheSpot ? 1 : 0,
      satisfaction: s.satisfaction,
      reopen_count: s.reopenCount,
      return_count: s.returnCount,
      send_back_count: s.sendBackCount,
      extension_days: s.extensionDays,
      pending_extension_days: s.pendingExtension?.days ?? null,
      pending_extension_note: s.pendingExtension ? s.pendingExtension.note : null,
      supervised: s.supervised ? 1 : 0,
      items_open: s.itemsOpen,
      sign_due_at: iso(s.signDue),
      handle_due_at: iso(s.handleDue),
      accepted_at: iso(s.acceptedAt),
      dispatched_at: iso(s.dispatchedAt),
      signed_at: iso(s.signedAt),
      replied_at: iso(s.repliedAt),
      closed_at: iso(s.closedAt),
      evaluated_at: iso(s.evaluatedAt),
      closed_on_time: s.closedOnTime === null ? null : s.closedOnTime ? 1 : 0,
      handling_work_hours: s.handlingMs === null ? null : s.handlingMs / HOUR,
      version: s.version,
      created_at: iso(s.createdAt)!,
      updated_at: iso(s.updatedAt)!,
    };
  });
  await insertChunks(trx, 'work_orders', rows);
  const inserted = await trx.selectFrom('work_orders').select(['id', 'number']).where('number', 'like', 'HT%-demo-%').execute();
  const orderId = new Map(inserted.map((w) => [Number(w.number.slice(w.number.lastIndexOf('-') + 1)), w.id]));
  if (orderId.size !== orders.length) throw new Error('demo orders: not every order was written');
  // Numbers as intake makes them: HT, the Beijing date of intake, the id (known only now).
  const pad = sql`case when length(cast(id as text)) >= 6 then cast(id as text) else substr('000000' || cast(id as text), length(cast(id as text)) + 1) end`;
  await sql`update work_orders set number = substr(number, 1, 10) || ${pad} where number like ${'HT%-demo-%'}`.execute(trx);
  const byKey = new Map(orders.map((o) => [o.key, o]));
  const numberOf = (key: number) => orderNumber(beijingDate(byKey.get(key)!.sim.createdAt), orderId.get(key)!);

  for (const o of orders) {
    if (o.sim.mergedInto !== null) {
      await trx.updateTable('work_orders').set({ merged_into_id: orderId.get(o.sim.mergedInto)! }).where('id', '=', orderId.get(o.key)!).execute();
    }
  }

  await insertChunks(
    trx,
    'order_items',
    orders.flatMap((o) =>
      o.sim.items.map((it) => ({
        order_id: orderId.get(o.key)!,
        title: it.title,
        owner_org_id: it.ownerOrgKey === null ? null : orgId(it.ownerOrgKey),
        owner_name: it.ownerName,
        due_date: it.dueDate,
        state: it.state,
        note: it.note,
        version: it.version,
        created_at: iso(it.createdAt)!,
        updated_at: iso(it.updatedAt)!,
      })),
    ),
  );
  const itemRows = orders.some((o) => o.sim.items.length)
    ? await trx.selectFrom('order_items').select(['id', 'order_id', 'title']).where('order_id', 'in', orders.filter((o) => o.sim.items.length).map((o) => orderId.get(o.key)!)).execute()
    : [];
  const itemId = new Map(itemRows.map((r) => [`${r.order_id}|${r.title}`, r.id]));

  // The timeline, in time order across all orders (ids grow with time, as in a live system).
  const events = orders.flatMap((o, oi) => o.sim.events.map((e, ei) => ({ o, e, oi, ei })));
  events.sort((a, b) => a.e.at - b.e.at || a.oi - b.oi || a.ei - b.ei);
  await insertChunks(
    trx,
    'order_events',
    events.map(({ o, e }) => {
      const id = orderId.get(o.key)!;
      let data: Record<string, unknown> | null = e.data;
      if (e.handlerKey) data = { handlerOrgId: orgId(e.handlerKey), handlerOrgName: orgName(e.handlerKey), ...data };
      if (e.returnedKey) data = { handlerOrgId: orgId(e.returnedKey), ...data };
      if (e.primary !== undefined) data = { primaryId: orderId.get(e.primary)!, primaryNumber: numberOf(e.primary), ...data };
      if (e.item !== undefined) data = { itemId: itemId.get(`${id}|${o.sim.items[e.item]!.title}`)!, ...data };
      const actor = actorOf(e.actor);
      return {
        order_id: id,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        actor_id: actor.id,
        actor_name: actor.name,
        note: e.note,
        data: data === null ? null : JSON.stringify(data),
        created_at: iso(e.at)!,
      };
    }),
  );

  await writeOrderTerms(
    trx,
    ctx.dialect,
    orders.map((o) => ({ orderId: orderId.get(o.key)!, orgId: orgId(o.orgKey), terms: documentTerms(searchableText(o)) })),
  );

  await writeDemoNotifications(trx, now);

  const byState: Record<string, number> = {};
  for (const o of orders) byState[o.sim.status!] = (byState[o.sim.status!] ?? 0) + 1;
  return byState;
}

/**
 * What waits for someone now, in their bell, as the live loop would have notified them: new
 * reports and replies to verify for the community's staff, new dispatches and supervision for the
 * handler unit's accounts, pending extensions for whoever approves them. Notes of the last week
 * are unread; older ones read.
 */
async function writeDemoNotifications(trx: Transaction<DB>, now: string): Promise<void> {
  const open = await trx
    .selectFrom('work_orders as w')
    .innerJoin('org_units as o', 'o.id', 'w.org_id')
    .select(['w.id', 'w.number', 'w.title', 'w.status', 'w.handler_org_id', 'w.supervised', 'w.pending_extension_days', 'w.updated_at', 'o.path'])
    .where('w.status', 'in', ['submitted', 'dispatched', 'in_progress', 'replied'])
    .orderBy('w.id')
    .execute();
  const weekAgo = new Date(Date.parse(now) - 7 * DAY).toISOString();
  for (const o of open) {
    const notes: { to: number[]; kind: string; title: string }[] = [];
    if (o.status === 'submitted') notes.push({ to: await dispatchersOf(trx, o.path), kind: 'order.submitted', title: `新的居民诉求:${o.title}` });
    if (o.status === 'replied') notes.push({ to: await dispatchersOf(trx, o.path), kind: 'order.replied', title: `工单 ${o.number} 已办结,待核查` });
    if (o.handler_org_id !== null && (o.status === 'dispatched' || o.status === 'in_progress')) {
      const handlers = await accountsAt(trx, o.handler_org_id, HANDLER_ROLES);
      notes.push({ to: handlers, kind: 'order.dispatched', title: `新派工单 ${o.number}:${o.title}` });
      if (o.supervised) notes.push({ to: handlers, kind: 'order.supervised', title: `督办:工单 ${o.number} 请加快办理` });
      if (o.pending_extension_days !== null) {
        notes.push({ to: await dispatchersOf(trx, o.path), kind: 'order.extension_requested', title: `工单 ${o.number} 申请延期 ${o.pending_extension_days} 个工作日` });
      }
    }
    const readAt = o.updated_at < weekAgo ? o.updated_at : null;
    const rows = notes.flatMap((n) => [...new Set(n.to)].map((account_id) => ({ account_id, kind: n.kind, order_id: o.id, title: n.title, body: null, read_at: readAt, created_at: o.updated_at })));
    if (rows.length) await trx.insertInto('notifications').values(rows).execute();
  }
}
