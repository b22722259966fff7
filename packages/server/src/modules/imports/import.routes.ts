import { CommitImportBody, ImportErrorsQuery } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { requireActor } from '../auth/auth.plugin.js';
import {
  commitResidentImport,
  createResidentImport,
  getImportErrorsWorkbook,
  getImportJob,
  getResidentTemplate,
  listImportErrors,
  type UploadedFile,
} from './import.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const tags = ['imports'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const attachment = (name: string) => `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The multipart upload: field "file" (.xlsx) and an optional field "orgId". */
async function readUpload(req: FastifyRequest): Promise<UploadedFile> {
  if (!req.isMultipart()) throw new AppError('BAD_REQUEST', { detail: '请以 multipart/form-data 上传 .xlsx 文件' });
  let file: { fileName: string; content: Buffer } | null = null;
  let orgId: number | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      if (part.fieldname === 'file' && !file) file = { fileName: part.filename, content };
    } else if (part.fieldname === 'orgId' && String(part.value).trim() !== '') {
      orgId = Number(part.value);
      if (!Number.isInteger(orgId)) throw new AppError('VALIDATION_FAILED', { detail: 'orgId' });
    }
  }
  if (!file) throw new AppError('BAD_REQUEST', { detail: '请选择要上传的 .xlsx 文件(字段名 file)' });
  return { ...file, orgId };
}

export const importRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Validation and commit of a big file run after the 202 answer; the job row in the database
    // carries the progress, so any instance can answer the polling. Closing waits for the work.
    const running = new Set<Promise<void>>();
    const inBackground = (work: () => Promise<void>, log: FastifyBaseLogger) => {
      const p: Promise<void> = work()
        .catch((err) => log.error({ err }, 'import job failed'))
        .finally(() => running.delete(p));
      running.add(p);
    };
    app.addHook('onClose', async () => {
      await Promise.allSettled([...running]);
    });

    app.get('/residents/template.xlsx', { schema: { tags } }, async (req, reply) => {
      const content = await getResidentTemplate(ctx, requireActor(req));
      reply.header('content-type', XLSX).header('content-disposition', attachment('居民导入模板.xlsx'));
      return content;
    });

    app.post('/residents', { schema: { tags, consumes: ['multipart/form-data'] } }, async (req, reply) => {
      const { job, run } = await createResidentImport(ctx, requireActor(req), () => readUpload(req), req.log);
      inBackground(run, req.log);
      reply.status(202);
      return job;
    });

    app.get('/:id', { schema: { tags, params: IdParams } }, async (req) => getImportJob(ctx, requireActor(req), req.params.id));

    app.get('/:id/errors', { schema: { tags, params: IdParams, querystring: ImportErrorsQuery } }, async (req) =>
      listImportErrors(ctx, requireActor(req), req.params.id, req.query),
    );

    app.get('/:id/errors.xlsx', { schema: { tags, params: IdParams } }, async (req, reply) => {
      const { fileName, stream } = await getImportErrorsWorkbook(ctx, requireActor(req), req.params.id);
      reply.header('content-type', XLSX).header('content-disposition', attachment(fileName));
      return reply.send(stream);
    });

    app.post('/:id/commit', { schema: { tags, params: IdParams, body: CommitImportBody } }, async (req, reply) => {
      const { job, run } = await commitResidentImport(ctx, requireActor(req), req.params.id, req.body ?? {});
      inBackground(run, req.log);
      reply.status(202);
      return job;
    });
  };
