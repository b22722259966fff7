import type { ResidentTag } from '@haitang/contracts';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, NewResident } from '../../db/schema.js';
import { isInScope, type Actor } from '../../lib/actor.js';
import type { PiiCrypto } from '../../lib/pii-crypto.js';
import { buildResidentRow } from '../residents/resident.rows.js';
import {
  allocateResidentIds,
  findBuildings,
  findHouseholds,
  findResidentsByHouseholdName,
  findResidentsByIdHash,
  insertBuildings,
  insertHouseholds,
  replaceResidentTags,
  upsertResidents,
} from './import.repository.js';
import type { StagedResident } from './import.validate.js';
import { householdAddress } from '../households/household.address.js';

/**
 * A valid row as import_rows keeps it between validation and commit: the residents row already
 * built by buildResidentRow (ID number and phone encrypted, hashed, masked; pinyin), plus the
 * flat it names and its tags. Household and timestamps are filled in at commit.
 */
export interface PreparedRow {
  rowNo: number;
  resident: Omit<NewResident, 'created_at' | 'updated_at' | 'household_id'>;
  home: { building: string; unit: string | null; room: string } | null;
  /** null when the tag cell was empty: an existing resident keeps its tags. */
  tags: ResidentTag[] | null;
}

/** Builds the residents row of a validated spreadsheet row (the expensive part: crypto and pinyin). */
export function prepareRow(crypto: PiiCrypto, rowNo: number, s: StagedResident): PreparedRow {
  const { created_at: _c, updated_at: _u, household_id: _h, ...resident } = buildResidentRow(
    crypto,
    {
      name: s.name,
      orgId: s.orgId,
      idNumber: s.idNumber,
      phone: s.phone,
      gender: s.gender,
      birthDate: s.birthDate,
      address: s.address,
      relationToHead: s.relationToHead,
      tags: s.tags ?? [],
      note: s.note,
    },
    '',
  );
  const home = s.building && s.room ? { building: s.building, unit: s.unit, room: s.room } : null;
  return { rowNo, resident, home, tags: s.tags };
}

export interface BatchResult {
  created: number;
  updated: number;
  buildingsCreated: number;
  householdsCreated: number;
  /** Rows whose ID number now belongs to a resident outside the actor's scope (registered meanwhile). */
  skipped: number[];
}

const buildingKey = (orgId: number, name: string) => `${orgId}|${name}`;
const householdKey = (buildingId: number, unit: string | null, room: string) => `${buildingId}|${unit ?? ''}|${room}`;

/** Finds or creates the buildings and households the rows name; returns the household id of each row. */
async function resolveHouseholds(trx: Transaction<DB>, rows: PreparedRow[], now: string) {
  const withHome = rows.filter((r) => r.home).map((r) => ({ rowNo: r.rowNo, orgId: r.resident.org_id, ...r.home! }));
  const householdOf = new Map<number, number>();
  if (withHome.length === 0) return { householdOf, buildingsCreated: 0, householdsCreated: 0 };

  const buildingIds = new Map<string, number>();
  const wanted = new Map<string, { org_id: number; name: string }>();
  for (const h of withHome) wanted.set(buildingKey(h.orgId, h.building), { org_id: h.orgId, name: h.building });
  const orgIds = [...new Set([...wanted.values()].map((b) => b.org_id))];
  const names = [...new Set([...wanted.values()].map((b) => b.name))];
  for (const b of await findBuildings(trx, orgIds, names)) {
    if (!buildingIds.has(buildingKey(b.org_id, b.name))) buildingIds.set(buildingKey(b.org_id, b.name), b.id);
  }
  const missingBuildings = [...wanted.entries()].filter(([k]) => !buildingIds.has(k)).map(([, b]) => b);
  if (missingBuildings.length) {
    for (const b of await insertBuildings(trx, missingBuildings, now)) buildingIds.set(buildingKey(b.org_id, b.name), b.id);
  }

  const households = new Map<string, number>();
  const wantedHomes = new Map<string, { org_id: number; building_id: number; unit_label: string | null; room: string; address: string }>();
  for (const h of withHome) {
    const bid = buildingIds.get(buildingKey(h.orgId, h.building))!;
    wantedHomes.set(householdKey(bid, h.unit, h.room), {
      org_id: h.orgId,
      building_id: bid,
      unit_label: h.unit,
      room: h.room,
      address: householdAddress(h.building, h.unit, h.room),
    });
  }
  const lookup = async () => {
    const bids = [...new Set([...wantedHomes.values()].map((h) => h.building_id))];
    const rooms = [...new Set([...wantedHomes.values()].map((h) => h.room))];
    for (const h of await findHouseholds(trx, bids, rooms)) households.set(householdKey(h.building_id!, h.unit_label, h.room!), h.id);
  };
  await lookup();
  let householdsCreated = 0;
  const missingHomes = [...wantedHomes.entries()].filter(([k]) => !households.has(k)).map(([, h]) => h);
  if (missingHomes.length) {
    const inserted = await insertHouseholds(trx, missingHomes, now);
    householdsCreated = inserted.length;
    for (const h of inserted) households.set(householdKey(h.building_id!, h.unit_label, h.room!), h.id);
    if (inserted.length < missingHomes.length) await lookup(); // another writer created some meanwhile
  }
  for (const h of withHome) {
    const bid = buildingIds.get(buildingKey(h.orgId, h.building))!;
    householdOf.set(h.rowNo, households.get(householdKey(bid, h.unit, h.room))!);
  }
  return { householdOf, buildingsCreated: missingBuildings.length, householdsCreated };
}

/**
 * Writes one batch of valid rows inside the caller's transaction: households first, then the
 * residents (upsert by ID-number hash, else by name within the household, else new), then their
 * tag rows. Existing residents keep their id; a resident outside the actor's scope is never touched.
 */
export async function writeResidentBatch(ctx: AppContext, trx: Transaction<DB>, actor: Actor, rows: PreparedRow[], now: string): Promise<BatchResult> {
  const { householdOf, buildingsCreated, householdsCreated } = await resolveHouseholds(trx, rows, now);

  const built = rows.map((r) => ({
    rowNo: r.rowNo,
    tags: r.tags,
    row: { ...r.resident, household_id: householdOf.get(r.rowNo) ?? null, created_at: now, updated_at: now } as NewResident,
  }));

  // Existing residents: by ID-number hash, else by (household, name) for rows without an ID.
  const existingByHash = new Map<string, { id: number; path: string }>();
  const hashes = built.map((b) => b.row.id_number_hash).filter((h): h is string => !!h);
  for (const r of await findResidentsByIdHash(trx, hashes)) existingByHash.set(r.id_number_hash!, { id: r.id, path: r.path });
  const noId = built.filter((b) => !b.row.id_number_hash && b.row.household_id != null);
  const existingByHome = new Map<string, number>();
  const homeMatches = await findResidentsByHouseholdName(
    trx,
    [...new Set(noId.map((b) => b.row.household_id!))],
    [...new Set(noId.map((b) => b.row.name))],
  );
  for (const r of homeMatches) {
    const key = `${r.household_id}|${r.name}`;
    if (isInScope(actor, r.path) && !existingByHome.has(key)) existingByHome.set(key, r.id);
  }

  const skipped: number[] = [];
  const writes = new Map<number, { id: number | null; row: NewResident; tags: string[] | null; isNew: boolean }>();
  const pendingByHome = new Map<string, number>(); // within the batch: a second row for the same person
  // resolved id -> row: a person named twice in a batch (once by ID number, once by household and
  // name) is one person; one upsert must not touch a row twice, so the later row wins.
  const pendingById = new Map<number, number>();
  for (const b of built) {
    let id: number | null = null;
    if (b.row.id_number_hash) {
      const found = existingByHash.get(b.row.id_number_hash);
      if (found && !isInScope(actor, found.path)) {
        skipped.push(b.rowNo);
        continue;
      }
      id = found?.id ?? null;
    } else if (b.row.household_id != null) {
      const key = `${b.row.household_id}|${b.row.name}`;
      id = existingByHome.get(key) ?? null;
      const earlier = pendingByHome.get(key);
      if (earlier !== undefined) writes.delete(earlier); // the later row wins
      pendingByHome.set(key, b.rowNo);
    }
    if (id !== null) {
      const earlier = pendingById.get(id);
      if (earlier !== undefined) writes.delete(earlier); // the later row wins
      pendingById.set(id, b.rowNo);
    }
    writes.set(b.rowNo, { id, row: b.row, tags: b.tags, isNew: id === null });
  }

  const list = [...writes.values()];
  const fresh = list.filter((w) => w.isNew);
  const ids = await allocateResidentIds(trx, ctx.dialect, fresh.length);
  fresh.forEach((w, i) => (w.id = ids[i]!));
  await upsertResidents(trx, list.map((w) => ({ ...w.row, id: w.id! })));

  // Tags given in the file replace the resident's tag rows; an empty cell keeps them.
  const tagged = list.filter((w) => w.tags && w.tags.length > 0);
  await replaceResidentTags(
    trx,
    tagged.filter((w) => !w.isNew).map((w) => w.id!),
    tagged.flatMap((w) => w.tags!.map((tag) => ({ resident_id: w.id!, tag }))),
  );

  const created = fresh.length;
  // Rows folded into a later row for the same person count with it.
  return { created, updated: rows.length - skipped.length - created, buildingsCreated, householdsCreated, skipped };
}
