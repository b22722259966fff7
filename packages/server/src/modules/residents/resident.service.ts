import {
  idNumberFacts,
  maskName,
  normalizeIdNumber,
  type ResidentExportQuery,
  type ResidentInput,
  type ResidentList,
  type ResidentListQuery,
  type ResidentReveal,
  type ResidentView,
  type UpdateResidentBody,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { ResidentUpdate } from '../../db/schema.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AUDIT_VIEWER } from '../../lib/names.js';
import { AppError } from '../../lib/errors.js';
import { findHousehold } from '../households/household.repository.js';
import { findOrgUnit } from '../org/org.repository.js';
import { mapResidentView } from './resident.mapper.js';
import { authorizeResidentAccess, canSeeFullNames, requireResidentOrg } from './resident.policy.js';

import {
  countResidents,
  countResidentsFromStats,
  findResidentByIdHash,
  findResidentIdPage,
  findResidentSecrets,
  findResidentView,
  findResidentViewsByIds,
  insertResident,
  isUniqueViolation,
  replaceResidentTags,
  searchResidentIdPage,
  updateResidentRow,
  type ResidentFilter,
  type ResidentSearch,
} from './resident.repository.js';
import { buildResidentRow, idNumberColumns, namePinyin, phoneColumns, searchHashes } from './resident.rows.js';

/**
 * How `q` is searched: a complete ID number or phone only by its keyed hash (an exact lookup on
 * an index); anything else by name / address contains, plus pinyin initials or full pinyin as a
 * prefix when the term is Latin letters or digits.
 */
export function parseResidentSearch(ctx: AppContext, q: string | undefined): ResidentSearch | undefined {
  // Control characters never match (the search index uses U+0001 as its separator): left out.
  const text = q?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!text) return undefined;
  const hashes = searchHashes(ctx.crypto, text);
  if (hashes.idHash || hashes.phoneHash) return { kind: 'hash', ...hashes };
  const compact = text.toLowerCase().replace(/\s+/g, '');
  return { kind: 'text', text, pinyinPrefix: /^[a-z0-9]+$/.test(compact) ? compact : null };
}

/** The list/export filter: the actor's subtree, or a node inside it (else 404). */
export async function resolveResidentFilter(
  ctx: AppContext,
  actor: Actor,
  query: ResidentExportQuery,
): Promise<ResidentFilter & { orgId: number }> {
  let path = actor.orgPath;
  let orgId = actor.orgId;
  if (query.orgId !== undefined && query.orgId !== actor.orgId) {
    const node = await findOrgUnit(ctx.db, query.orgId);
    requireInScope(actor, node?.path);
    path = node!.path;
    orgId = node!.id;
  }
  return { path, orgId, status: query.status ?? 'active', tag: query.tag, search: parseResidentSearch(ctx, query.q) };
}

/** Residents in scope, newest first, masked. */
export async function listResidents(ctx: AppContext, actor: Actor, query: ResidentListQuery): Promise<ResidentList> {
  requirePermission(actor, 'resident.read');
  const filter = await resolveResidentFilter(ctx, actor, query);
  const pageSize = query.pageSize ?? 20;
  const offset = ((query.page ?? 1) - 1) * pageSize;
  let ids: number[];
  let total: number;
  if (filter.search) {
    const page = await searchResidentIdPage(ctx.db, ctx.dialect, filter, pageSize, offset);
    ids = page.ids;
    // An empty first page means no match at all: no second scan to count them.
    total = page.total ?? (offset === 0 ? 0 : await countResidents(ctx.db, ctx.dialect, filter));
  } else if (ctx.dialect === 'sqlite') {
    // One connection: nothing to overlap. The count first tells the page where to look.
    total = await countResidentsFromStats(ctx.db, ctx.dialect, filter);
    ids = await findResidentIdPage(ctx.db, ctx.dialect, filter, pageSize, offset, total);
  } else {
    [ids, total] = await Promise.all([
      findResidentIdPage(ctx.db, ctx.dialect, filter, pageSize, offset),
      countResidentsFromStats(ctx.db, ctx.dialect, filter),
    ]);
  }
  const rows = await findResidentViewsByIds(ctx.db, ids);
  const viewer = { fullName: canSeeFullNames(actor) };
  return { items: rows.map((r) => mapResidentView(r, viewer)), total };
}

export async function getResident(ctx: AppContext, actor: Actor, id: number): Promise<ResidentView> {
  const row = authorizeResidentAccess(actor, 'resident.read', await findResidentView(ctx.db, id));
  return mapResidentView(row, { fullName: canSeeFullNames(actor) });
}

/** DUPLICATE when another resident holds the ID number; names the record only when it is in scope. */
async function assertIdNumberFree(ctx: AppContext, actor: Actor, idHash: string | null | undefined, exceptId?: number) {
  if (!idHash) return;
  const other = await findResidentByIdHash(ctx.db, idHash);
  if (!other || other.id === exceptId) return;
  throw duplicateIdNumber(actor, other);
}

function duplicateIdNumber(actor: Actor, other?: { id: number; org_path: string }): AppError {
  if (other && other.org_path.startsWith(actor.orgPath)) {
    return new AppError('DUPLICATE', { detail: `该身份证号已登记(居民编号 ${other.id})` }, { field: 'idNumber', residentId: other.id });
  }
  return new AppError('DUPLICATE', { detail: '该身份证号已登记' }, { field: 'idNumber' });
}

/** Where a resident is registered: the household decides the org when there is one. */
async function resolvePlacement(
  ctx: AppContext,
  actor: Actor,
  orgId: number | undefined,
  householdId: number | null,
): Promise<{ orgId: number; householdId: number | null }> {
  if (householdId !== null) {
    const household = await findHousehold(ctx.db, householdId);
    requireInScope(actor, household?.org_path);
    if (orgId !== undefined && orgId !== household!.org_id) {
      throw new AppError('BAD_REQUEST', { detail: '所选网格与该户所在的微网格不一致' }, { field: 'orgId' });
    }
    orgId = household!.org_id;
  }
  if (orgId === undefined) {
    throw new AppError('VALIDATION_FAILED', { detail: '请选择所属网格或户' }, { field: 'orgId' });
  }
  return { orgId, householdId };
}

export async function createResident(ctx: AppContext, actor: Actor, body: ResidentInput): Promise<ResidentView> {
  requirePermission(actor, 'resident.write');
  const place = await resolvePlacement(ctx, actor, body.orgId, body.householdId ?? null);
  requireResidentOrg(actor, await findOrgUnit(ctx.db, place.orgId));
  const now = nowIso();
  const row = buildResidentRow(ctx.crypto, { ...body, ...place }, now);
  await assertIdNumberFree(ctx, actor, row.id_number_hash);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const id = await insertResident(trx, row, body.tags ?? []);
      const created = (await findResidentView(trx, id))!;
      await writeAudit(trx, ctx.dialect, actor, {
        action: 'resident.create',
        entityType: 'resident',
        entityId: id,
        orgId: place.orgId,
        after: mapResidentView(created, AUDIT_VIEWER),
      });
      return mapResidentView(created, { fullName: canSeeFullNames(actor) });
    });
  } catch (err) {
    // Lost a race with another registration of the same ID number (unique index).
    if (isUniqueViolation(err)) throw duplicateIdNumber(actor);
    throw err;
  }
}

/** The columns an update changes; personal numbers re-encrypted, pinyin recomputed. */
function updateColumns(ctx: AppContext, body: UpdateResidentBody, now: string): ResidentUpdate {
  const set: ResidentUpdate = { updated_at: now };
  if (body.name !== undefined) {
    const name = body.name.trim();
    const py = namePinyin(name);
    Object.assign(set, { name, name_pinyin: py.full, name_initials: py.initials });
  }
  if (body.idNumber !== undefined) {
    const cols = idNumberColumns(ctx.crypto, body.idNumber);
    Object.assign(set, cols);
    if (cols.id_number_enc && body.idNumber) {
      const facts = idNumberFacts(normalizeIdNumber(body.idNumber));
      if (body.gender === undefined) set.gender = facts.gender;
      if (body.birthDate === undefined) set.birth_date = facts.birthDate;
    }
  }
  if (body.phone !== undefined) Object.assign(set, phoneColumns(ctx.crypto, body.phone));
  if (body.gender !== undefined) set.gender = body.gender;
  if (body.birthDate !== undefined) set.birth_date = body.birthDate;
  if (body.address !== undefined) set.address = body.address?.trim() || null;
  if (body.relationToHead !== undefined) set.relation_to_head = body.relationToHead?.trim() || null;
  if (body.note !== undefined) set.note = body.note?.trim() || null;
  if (body.tags !== undefined) set.tags = JSON.stringify([...body.tags].sort());
  if (body.status !== undefined) set.status = body.status;
  return set;
}

export async function updateResident(ctx: AppContext, actor: Actor, id: number, body: UpdateResidentBody): Promise<ResidentView> {
  const current = authorizeResidentAccess(actor, 'resident.write', await findResidentView(ctx.db, id));
  const householdId = body.householdId !== undefined ? body.householdId : current.household_id;
  const placementChanged = body.householdId !== undefined || (body.orgId !== undefined && body.orgId !== current.org_id);
  const place = placementChanged
    ? await resolvePlacement(ctx, actor, body.orgId ?? (householdId === null ? current.org_id : undefined), householdId)
    : { orgId: current.org_id, householdId: current.household_id };
  if (place.orgId !== current.org_id) requireResidentOrg(actor, await findOrgUnit(ctx.db, place.orgId));
  // Someone who only ever sees "刘**" and sends it back has not renamed the person.
  if (body.name !== undefined && !canSeeFullNames(actor) && body.name.trim() === maskName(current.name)) {
    body = { ...body, name: undefined };
  }
  const now = nowIso();
  const set = { ...updateColumns(ctx, body, now), org_id: place.orgId, household_id: place.householdId };
  await assertIdNumberFree(ctx, actor, set.id_number_hash, id);
  const before = mapResidentView(current, AUDIT_VIEWER);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (!(await updateResidentRow(trx, id, body.version, set))) throw new AppError('VERSION_CONFLICT');
      if (body.tags !== undefined && set.tags !== current.tags) await replaceResidentTags(trx, id, body.tags);
      const updated = (await findResidentView(trx, id))!;
      await writeAudit(trx, ctx.dialect, actor, {
        action: 'resident.update',
        entityType: 'resident',
        entityId: id,
        orgId: place.orgId,
        before,
        after: mapResidentView(updated, AUDIT_VIEWER),
      });
      return mapResidentView(updated, { fullName: canSeeFullNames(actor) });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateIdNumber(actor);
    throw err;
  }
}

/** The full ID number and phone: a sensitive read, written to the audit log before it is returned. */
export async function revealResident(ctx: AppContext, actor: Actor, id: number): Promise<ResidentReveal> {
  const row = authorizeResidentAccess(actor, 'resident.reveal', await findResidentView(ctx.db, id));
  const secrets = (await findResidentSecrets(ctx.db, id))!;
  const result: ResidentReveal = {
    idNumber: secrets.id_number_enc ? ctx.crypto.decrypt(secrets.id_number_enc) : null,
    phone: secrets.phone_enc ? ctx.crypto.decrypt(secrets.phone_enc) : null,
  };
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, ctx.dialect, actor, {
      action: 'resident.reveal',
      entityType: 'resident',
      entityId: id,
      orgId: row.org_id,
      after: { fields: ['idNumber', 'phone'].filter((f) => (f === 'idNumber' ? result.idNumber : result.phone) !== null) },
    }),
  );
  return result;
}
