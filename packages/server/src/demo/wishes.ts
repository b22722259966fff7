import type { Transaction } from 'kysely';
import { maskName } from '@haitang/contracts';
import type { DB } from '../db/schema.js';
import type { DemoPlan } from './plan.js';

/**
 * 竹辉新村's 海棠心愿箱 (the seed's wish box): wishes of older residents living alone in every state of
 * the loop — waiting to be verified, open to claim (one of them for over two months, so it rises to
 * the top), claimed by the 楼嫂 team with the contact deadline near, contacted, fulfilled with a
 * photo and thanked, and the ones 竹辉物业服务中心 took on.
 */
const WISHES: { content: string; status: string; channel: string; daysAgo: number; claim?: 'team' | 'unit' }[] = [
  { content: '想要一台收音机,每天听评弹', status: 'published', channel: 'box', daysAgo: 70 },
  { content: '一副老花镜,看报纸方便些', status: 'published', channel: 'card', daysAgo: 12 },
  { content: '希望有人陪我去医院复查', status: 'published', channel: 'visit', daysAgo: 4 },
  { content: '冬天到了,想要一床厚棉被', status: 'collected', channel: 'box', daysAgo: 1 },
  { content: '想学会用手机和孙子视频', status: 'verified', channel: 'online', daysAgo: 2 },
  { content: '家里的灯坏了,想请人换一下', status: 'claimed', channel: 'box', daysAgo: 6, claim: 'team' },
  { content: '想拍一张全家福', status: 'contacted', channel: 'visit', daysAgo: 9, claim: 'team' },
  { content: '楼道里装一个扶手', status: 'fulfilled', channel: 'card', daysAgo: 20, claim: 'unit' },
  { content: '一台助听器', status: 'thanked', channel: 'box', daysAgo: 40, claim: 'unit' },
];
const DAY = 86_400_000;
/** A 1×1 PNG: the demo's stand-in for the photo taken when a wish was fulfilled. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export async function writeDemoWishes(
  trx: Transaction<DB>,
  plan: DemoPlan,
  ids: { orgId: (key: string) => number; residentIds: number[]; teamIds: number[]; staffAccountId: number },
  now: string,
): Promise<number> {
  const nowMs = Date.parse(now);
  const iso = (ms: number) => new Date(ms).toISOString();
  const wishers = plan.residents.map((r, i) => ({ r, i })).filter(({ r }) => r.communityKey === 'zhuhui' && r.tags.includes('elderly_alone')).slice(0, WISHES.length);
  const team = plan.teams.findIndex((t) => t.name === '楼嫂志愿服务队');
  const unit = await trx.selectFrom('alliance_members').select(['id', 'name']).where('name', '=', '竹辉物业服务中心').executeTakeFirstOrThrow();
  for (const [k, w] of WISHES.entries()) {
    const who = wishers[k % wishers.length]!;
    const created = nowMs - w.daysAgo * DAY;
    const published = ['published', 'claimed', 'contacted', 'fulfilled', 'thanked'].includes(w.status) ? iso(created + DAY) : null;
    let claimId: number | null = null;
    if (w.claim) {
      const claimedAt = created + 2 * DAY;
      const { id } = await trx
        .insertInto('wish_claims')
        .values({
          org_id: ids.orgId(who.r.orgKey), claimant_kind: w.claim, claimant_resident_id: null,
          claimant_team_id: w.claim === 'team' ? ids.teamIds[team]! : null, claimant_alliance_id: w.claim === 'unit' ? unit.id : null,
          claimant_name: w.claim === 'team' ? '楼嫂志愿服务队' : unit.name, remind_account_id: ids.staffAccountId,
          contact_due_at: iso(claimedAt + 7 * DAY), reminded_at: null, created_by: ids.staffAccountId, created_at: iso(claimedAt),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      claimId = id;
    }
    const done = ['fulfilled', 'thanked'].includes(w.status);
    const { id } = await trx
      .insertInto('wishes')
      .values({
        org_id: ids.orgId(who.r.orgKey), channel: w.channel, wisher_resident_id: ids.residentIds[who.i]!, wisher_name: who.r.name,
        wisher_surname: maskName(who.r.name).replace(/\*/g, ''), content: w.content, status: w.status, reject_reason: null,
        published_at: published, claim_id: claimId,
        contacted_at: ['contacted', 'fulfilled', 'thanked'].includes(w.status) ? iso(created + 4 * DAY) : null,
        fulfilled_at: done ? iso(created + 8 * DAY) : null, fulfil_note: done ? '已上门完成,心愿人很满意' : null,
        thanked_at: w.status === 'thanked' ? iso(created + 10 * DAY) : null, thanks_note: w.status === 'thanked' ? '老人送来一面锦旗' : null,
        created_by: ids.staffAccountId, created_at: iso(created), updated_at: iso(created + 10 * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (done) await trx.insertInto('wish_photos').values({ wish_id: id, name: '心愿实现.png', mime: 'image/png', size: PHOTO.length, data: PHOTO, created_at: iso(created + 8 * DAY) }).execute();
  }
  return WISHES.length;
}
