import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database, Dialect } from './db/database.js';
import type { DB } from './db/schema.js';
import { PiiCrypto } from './lib/pii-crypto.js';
import { OrderWriter } from './modules/workorders/order.writer.js';

/** What every use case receives: explicit dependencies, no globals. */
export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  dialect: Dialect;
  crypto: PiiCrypto;
  /** Group commit of new work orders (one per process). */
  orderWriter: OrderWriter;
}

export function createContext(config: Config, database: Database): AppContext {
  return {
    config,
    db: database.db,
    dialect: database.dialect,
    crypto: new PiiCrypto(config.encryptionKey),
    orderWriter: new OrderWriter(database.db, database.dialect),
  };
}
