import { createHash } from 'node:crypto';
import {
  IMPORT_JOB_MESSAGES,
  IMPORT_REASONS,
  maskIdNumber,
  type CommitImportBody,
  type ImportErrorsQuery,
  type ImportJobView,
  type ImportRowError,
} from '@haitang/contracts';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { isInScope, requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { prepareRow, writeResidentBatch, type PreparedRow } from './import.commit.js';
import { mapImportJob } from './import.mapper.js';
import { ImportFileError, readResidentRows, type HeaderMap } from './import.parse.js';
import { authorizeImportJob } from './import.policy.js';
import {
  addCommitProgress,
  countErrors,
  deleteImportRows,
  findErrorRows,
  findErrorRowsForPage,
  findGridNodes,
  findImportJob,
  findOrgPath,
  findResidentsByIdHash,
  findValidRows,
  analyzeImportRows,
  insertImportJob,
  insertImportRows,
  setRowErrors,
  updateImportJob,
  type ImportJobRow,
} from './import.repository.js';
import { addRowError, createGridLookup, createRowChecker, type CheckedRow } from './import.validate.js';
import { buildResidentTemplate, streamErrorWorkbook } from './import.workbook.js';

/** Rows per validation flush and per commit transaction (one audit entry each). */
export const BATCH_ROWS = 1000;
export const MAX_ROWS = 200_000;
/** A running job whose progress has not moved for this long is taken as interrupted. */
const STALE_MS = 10 * 60_000;

export interface UploadedFile {
  fileName: string;
  content: Buffer;
  orgId?: number;
}

/** Where the background work reports what the job's message cannot say (the request's logger). */
export interface ImportLog {
  warn(obj: object, msg: string): void;
}

/** A job just created or claimed, and the long work to run after answering (in the background). */
export interface StartedJob {
  job: ImportJobView;
  run: () => Promise<void>;
}

/** The template, with the grids and micro-grids of the actor's scope listed on its 说明 sheet. */
export async function getResidentTemplate(ctx: AppContext, actor: Actor): Promise<Buffer> {
  requirePermission(actor, 'resident.import');
  return buildResidentTemplate(await findGridNodes(ctx.db, actor.orgPath));
}

/**
 * Creates an import job for an uploaded workbook (status validating). The file is read only after
 * the permission check; `run` then validates every row into import_rows.
 */
export async function createResidentImport(
  ctx: AppContext,
  actor: Actor,
  readUpload: () => Promise<UploadedFile>,
  log?: ImportLog,
): Promise<StartedJob> {
  requirePermission(actor, 'resident.import');
  const upload = await readUpload();
  let orgId = actor.orgId;
  if (upload.orgId !== undefined) {
    const node = await findOrgPath(ctx.db, upload.orgId);
    requireInScope(actor, node?.path);
    orgId = node!.id;
  }
  const now = nowIso();
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  const fileName = upload.fileName.slice(0, 200) || 'residents.xlsx';
  const id = await ctx.db.transaction().execute(async (trx) => {
    const jobId = await insertImportJob(trx, {
      account_id: actor.id,
      org_id: orgId,
      kind: 'residents',
      file_name: fileName,
      file_sha256: sha256,
      status: 'validating',
      message: null,
      created_at: now,
      updated_at: now,
    });
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'import.upload',
      entityType: 'import_job',
      entityId: jobId,
      orgId,
      after: { kind: 'residents', fileName, sha256, bytes: upload.content.length },
    });
    return jobId;
  });
  const job = mapImportJob((await findImportJob(ctx.db, id))!);
  return { job, run: () => validateResidentImport(ctx, actor, id, upload.content, log) };
}

/** Marks rows whose ID number belongs to a resident outside the actor's scope (it cannot be imported here). */
async function markRegisteredElsewhere(
  ctx: AppContext,
  actor: Actor,
  rows: CheckedRow[],
  prepared: Map<number, PreparedRow>,
  headers: HeaderMap,
): Promise<void> {
  const byHash = new Map<string, CheckedRow>();
  for (const r of rows) {
    const hash = prepared.get(r.rowNo)?.resident.id_number_hash;
    if (hash) byHash.set(hash, r);
  }
  for (const found of await findResidentsByIdHash(ctx.db, [...byHash.keys()])) {
    if (isInScope(actor, found.path)) continue;
    const row = byHash.get(found.id_number_hash!)!;
    addRowError(row, headers, 'idNumber', maskIdNumber(row.staged!.idNumber!), 'id_registered_elsewhere');
    prepared.delete(row.rowNo);
  }
}

/**
 * What import_rows.data holds: for a valid row the prepared residents row as JSON (its ID number
 * and phone already encrypted by buildResidentRow); for a row with errors its cells, encrypted
 * as a whole (they may hold a mistyped ID number or phone).
 */
function stagedData(ctx: AppContext, r: CheckedRow, p: PreparedRow | undefined): string {
  if (p && r.errors.length === 0) return JSON.stringify({ resident: p.resident, home: p.home, tags: p.tags });
  return ctx.crypto.encrypt(JSON.stringify({ raw: r.raw ?? r.staged }));
}

/** Reads and checks every row, storing each (encrypted) with its errors; ends validated or failed. */
async function validateResidentImport(ctx: AppContext, actor: Actor, jobId: number, content: Buffer, log?: ImportLog): Promise<void> {
  const job = await findImportJob(ctx.db, jobId);
  if (!job || job.status !== 'validating') return;
  // At most one batch is being written while the next one is parsed: on PostgreSQL the database
  // works while this process reads the file.
  let writing: Promise<void> = Promise.resolve();
  try {
    const findGrid = createGridLookup(await findGridNodes(ctx.db, job.org_path));
    let headers: HeaderMap = {};
    let check: ReturnType<typeof createRowChecker> | null = null;
    let parsed = 0;
    const counts = { written: 0, valid: 0, invalid: 0 };
    let batch: CheckedRow[] = [];
    const writeBatch = async (checked: CheckedRow[]) => {
      const prepared = new Map<number, PreparedRow>();
      for (const r of checked) if (r.staged && r.errors.length === 0) prepared.set(r.rowNo, prepareRow(ctx.crypto, r.rowNo, r.staged));
      await markRegisteredElsewhere(ctx, actor, checked, prepared, headers);
      const rows = checked.map((r) => ({
        job_id: jobId,
        row_no: r.rowNo,
        data: stagedData(ctx, r, prepared.get(r.rowNo)),
        errors: r.errors.length ? JSON.stringify(r.errors) : null,
        error_count: r.errors.length,
      }));
      const invalid = checked.filter((r) => r.errors.length > 0).length;
      await ctx.db.transaction().execute(async (trx) => {
        await insertImportRows(trx, rows);
        await updateImportJob(trx, jobId, {
          processed_rows: counts.written + checked.length,
          valid_rows: counts.valid + checked.length - invalid,
          error_rows: counts.invalid + invalid,
        });
      });
      counts.written += checked.length;
      counts.valid += checked.length - invalid;
      counts.invalid += invalid;
    };
    const flush = async () => {
      const checked = batch;
      batch = [];
      await writing;
      writing = checked.length ? writeBatch(checked) : Promise.resolve();
      writing.catch(() => {}); // handled where it is awaited; no unhandled rejection meanwhile
    };
    const rows = readResidentRows(content, (h) => {
      headers = h;
      check = createRowChecker(h, findGrid);
    });
    for await (const row of rows) {
      if (++parsed > MAX_ROWS) throw new ImportFileError('tooManyRows', { max: MAX_ROWS });
      batch.push(check!(row));
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
    await writing;
    if (parsed === 0) throw new ImportFileError('noRows');
    await analyzeImportRows(ctx.db, ctx.dialect);
    await updateImportJob(
      ctx.db,
      jobId,
      { status: 'validated', total_rows: parsed, valid_rows: counts.valid, error_rows: counts.invalid, processed_rows: parsed },
      'validating',
    );
  } catch (err) {
    await writing.catch(() => {});
    const message = err instanceof ImportFileError ? err.message : IMPORT_JOB_MESSAGES.internal;
    // The user sees "无法读取文件"; the log keeps why (the zip, deflate or XML error).
    if (err instanceof ImportFileError && err.cause) log?.warn({ err: err.cause, jobId }, `import file rejected: ${err.key}`);
    await deleteImportRows(ctx.db, jobId);
    await updateImportJob(ctx.db, jobId, { status: 'failed', message, total_rows: 0, valid_rows: 0, error_rows: 0 }, 'validating');
    if (!(err instanceof ImportFileError)) throw err;
  }
}

async function loadJob(ctx: AppContext, actor: Actor, id: number): Promise<ImportJobRow> {
  requirePermission(actor, 'resident.import');
  const job = authorizeImportJob(actor, await findImportJob(ctx.db, id));
  const running = job.status === 'validating' || job.status === 'importing';
  if (running && Date.now() - Date.parse(job.updated_at) > STALE_MS) {
    // The instance doing the work stopped (restart, crash): say so instead of spinning forever.
    await updateImportJob(ctx.db, id, { status: 'failed', message: IMPORT_JOB_MESSAGES.interrupted }, job.status);
    return (await findImportJob(ctx.db, id))!;
  }
  return job;
}

export async function getImportJob(ctx: AppContext, actor: Actor, id: number): Promise<ImportJobView> {
  return mapImportJob(await loadJob(ctx, actor, id));
}

/** One page of the error report, errors counted one by one across rows in row order. */
export async function listImportErrors(
  ctx: AppContext,
  actor: Actor,
  id: number,
  query: ImportErrorsQuery,
): Promise<{ items: ImportRowError[]; total: number }> {
  await loadJob(ctx, actor, id);
  const pageSize = query.pageSize ?? 50;
  const offset = ((query.page ?? 1) - 1) * pageSize;
  const [rows, total] = await Promise.all([findErrorRowsForPage(ctx.db, id, offset, pageSize), countErrors(ctx.db, id)]);
  const items: ImportRowError[] = [];
  for (const r of rows) {
    (JSON.parse(r.errors) as ImportRowError[]).forEach((e, i) => {
      const n = r.start + i;
      if (n >= offset && n < offset + pageSize) items.push(e);
    });
  }
  return { items, total };
}

/** The whole error report as a streamed spreadsheet. */
export async function getImportErrorsWorkbook(ctx: AppContext, actor: Actor, id: number): Promise<{ fileName: string; stream: Readable }> {
  const job = await loadJob(ctx, actor, id);
  async function* pages() {
    let after = 0;
    for (;;) {
      const rows = await findErrorRows(ctx.db, id, after, BATCH_ROWS);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.row_no;
      yield rows.flatMap((r) => JSON.parse(r.errors!) as ImportRowError[]);
    }
  }
  const base = job.file_name.replace(/\.xlsx$/i, '');
  return { fileName: `${base}-错误报告.xlsx`, stream: streamErrorWorkbook(pages()) };
}

/**
 * Claims a validated job for import (a conditional status update: a second commit gets 409).
 * A file with errors imports nothing unless the user asked for the valid rows only.
 */
export async function commitResidentImport(ctx: AppContext, actor: Actor, id: number, body: CommitImportBody): Promise<StartedJob> {
  const job = await loadJob(ctx, actor, id);
  // The uploader keeps reading its own job after leaving that subtree, but writes rows only into its scope.
  requireInScope(actor, job.org_path);
  if (job.status === 'importing' || job.status === 'done') throw new AppError('CONFLICT', { detail: '该文件已经导入过了' }, { reason: 'already_committed' });
  if (job.status !== 'validated') throw new AppError('CONFLICT', { detail: '文件尚未校验完成或校验失败' }, { reason: 'not_validated' });
  if (job.error_rows > 0 && !body.onlyValid) {
    throw new AppError('CONFLICT', { detail: '文件有错误行,请修改后重新上传,或选择仅导入有效行' }, { reason: 'has_errors', errorRows: job.error_rows });
  }
  const claimed = await updateImportJob(ctx.db, id, { status: 'importing', processed_rows: 0, message: null }, 'validated');
  if (!claimed) throw new AppError('CONFLICT', { detail: '该文件已经导入过了' }, { reason: 'already_committed' });
  const claimedJob = (await findImportJob(ctx.db, id))!;
  return { job: mapImportJob(claimedJob), run: () => runResidentCommit(ctx, actor, claimedJob) };
}

/** Writes the valid rows in batches, each in its own transaction with one audit entry; ends done. */
async function runResidentCommit(ctx: AppContext, actor: Actor, job: ImportJobRow): Promise<void> {
  try {
    const fetchBatch = async (afterRow: number) => {
      const rows = await findValidRows(ctx.db, job.id, afterRow, BATCH_ROWS);
      return rows.map((r): PreparedRow => ({ rowNo: r.row_no, ...(JSON.parse(r.data) as Omit<PreparedRow, 'rowNo'>) }));
    };
    let next = fetchBatch(0);
    for (;;) {
      const staged = await next;
      if (staged.length === 0) break;
      const first = staged[0]!.rowNo;
      const after = staged[staged.length - 1]!.rowNo;
      next = fetchBatch(after); // read ahead while this batch is written
      next.catch(() => {}); // a failure surfaces when awaited
      const rows = staged;
      const now = nowIso();
      await ctx.db.transaction().execute(async (trx) => {
        const res = await writeResidentBatch(ctx, trx, actor, staged, now);
        for (const rowNo of res.skipped) {
          const r = staged.find((x) => x.rowNo === rowNo)!.resident;
          await setRowErrors(trx, job.id, rowNo, [
            {
              row: rowNo,
              column: '身份证号',
              value: r.id_number_masked ?? null,
              reason: 'id_registered_elsewhere',
              message: IMPORT_REASONS.id_registered_elsewhere['zh-CN'],
            },
          ]);
        }
        const written = rows.length - res.skipped.length;
        await addCommitProgress(trx, job.id, { processed: written, created: res.created, updated: res.updated, skipped: res.skipped.length });
        await writeAudit(trx, ctx.dialect, actor, {
          action: 'resident.import',
          entityType: 'import_job',
          entityId: job.id,
          orgId: job.org_id,
          after: {
            jobId: job.id,
            rows: { from: first, to: after, count: rows.length },
            created: res.created,
            updated: res.updated,
            skipped: res.skipped.length,
            buildingsCreated: res.buildingsCreated,
            householdsCreated: res.householdsCreated,
          },
        });
      });
    }
    await updateImportJob(ctx.db, job.id, { status: 'done' }, 'importing');
  } catch (err) {
    await updateImportJob(ctx.db, job.id, { status: 'failed', message: IMPORT_JOB_MESSAGES.internal }, 'importing');
    throw err;
  }
}
