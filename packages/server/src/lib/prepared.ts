import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { nameStatement } from '../db/database.js';
import type { DB } from '../db/schema.js';

/**
 * A query of a fixed shape, built and compiled by Kysely once per database handle and afterwards
 * run with new parameters. For the queries every request makes (its session, an org node): Kysely's
 * builder and compiler cost several times what SQLite takes to answer such an indexed lookup.
 *
 * The builder must bind exactly the given parameters, in order, and nothing else (a constant goes
 * into the SQL with `sql.lit` or as a parameter); this is checked at the first compile.
 *
 * On PostgreSQL the text runs as a named prepared statement (db/database.ts `nameStatement`):
 * after a few executions PostgreSQL may plan it once for any values, so keep to key lookups whose
 * best plan does not depend on the values.
 */
export function prepared<P extends unknown[], R>(build: (db: Kysely<DB>, ...params: P) => Compilable<R>): (db: Kysely<DB>, ...params: P) => Promise<R[]> {
  const texts = new WeakMap<Kysely<DB>, string>();
  return async (db, ...params) => {
    let text = texts.get(db);
    if (text === undefined) {
      const compiled = build(db, ...params).compile();
      if (compiled.parameters.length !== params.length || compiled.parameters.some((p, i) => p !== params[i])) {
        throw new Error(`prepared query binds other parameters than it is given: ${compiled.sql}`);
      }
      text = compiled.sql;
      texts.set(db, text);
      nameStatement(text);
    }
    return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  };
}
