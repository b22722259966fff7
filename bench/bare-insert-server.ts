// The yardstick of the intake benchmark: the same framework (Fastify with a JSON schema) and the
// same database settings (createDatabase: WAL SQLite or the pg pool) doing nothing but one INSERT
// per request. Started by order-intake.bench.ts in its own process; not part of the product.
import Fastify from 'fastify';
import { createDatabase } from '../packages/server/src/db/database.js';

const database = createDatabase({ databaseUrl: process.env.DATABASE_URL || null, sqliteFile: process.env.BARE_SQLITE_FILE ?? '' });
// The table is not in the schema types: raw rows through Kysely's untyped interface.
const db = database.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
const app = Fastify({ logger: false });
app.post(
  '/bare',
  {
    schema: {
      body: {
        type: 'object',
        required: ['title', 'description', 'orgId'],
        additionalProperties: false,
        properties: { title: { type: 'string', maxLength: 100 }, description: { type: 'string', maxLength: 4000 }, orgId: { type: 'integer' } },
      },
    },
  },
  async (req, reply) => {
    const b = req.body as { title: string; description: string; orgId: number };
    const row = await db
      .insertInto('bench_bare')
      .values({ title: b.title, description: b.description, org_id: b.orgId, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return reply.status(201).send({ id: row.id });
  },
);
app.get('/health', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
