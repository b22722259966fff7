import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createContext } from './context.js';
import { createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

async function migrate(config: Config): Promise<void> {
  const database = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
}

/** Serves HTTP in this process. Everything shared lives in the database, so workers are interchangeable. */
async function serve(config: Config): Promise<void> {
  const database = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  const app = await buildApp(createContext(config, database));
  const close = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  if (!cluster.isWorker) {
    console.log(`Haitang 海棠 is serving on http://localhost:${config.port} (${database.dialect}); API docs at /docs`);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (cluster.isWorker) return serve(config);
  // Migrations run once, before any worker serves.
  await migrate(config);
  if (config.workers <= 1) return serve(config);
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (signal === 'SIGTERM' || signal === 'SIGINT' || code === 0) return;
    console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(
    `Haitang 海棠 is serving on http://localhost:${config.port} with ${config.workers} worker processes (${config.databaseUrl ? 'postgres' : 'sqlite'}); API docs at /docs`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
