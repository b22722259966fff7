import { createHash, randomBytes } from 'node:crypto';
import { ROLE_PERMISSIONS, type Role } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { findAccountByUsername, findSessionActor, hitRateLimit } from './auth.repository.js';
import { hashPassword, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'ht_session';

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export interface SessionInfo {
  account: { id: number; username: string; displayName: string; role: Role; orgId: number; orgName: string };
  permissions: readonly string[];
  csrfToken: string;
}

// A real hash to verify against when the username does not exist, so that timing does not tell.
let dummyHash: Promise<string> | null = null;

/**
 * Checks the password, applies the per-IP rate limit and the per-account lock-out, and opens a
 * session. Returns the raw session id (only ever sent in the cookie) and what the UI needs.
 */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string; ip: string | null; userAgent: string | null },
): Promise<{ sessionId: string; info: SessionInfo }> {
  const { db, config } = ctx;
  const now = new Date();
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const count = await hitRateLimit(db, `login:${input.ip ?? 'unknown'}`, minute);
  if (count > config.loginRateLimitPerMinute) throw new AppError('RATE_LIMITED');

  const account = await findAccountByUsername(db, input.username.trim());
  if (!account || account.status !== 'active') {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, input.password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (account.locked_until && account.locked_until > now.toISOString()) {
    const minutes = Math.ceil((Date.parse(account.locked_until) - now.getTime()) / 60_000);
    throw new AppError('ACCOUNT_LOCKED', { minutes });
  }
  if (!(await verifyPassword(account.password_hash, input.password))) {
    // The count is bumped in SQL, not written back from what was read before the slow hash
    // check: concurrent wrong guesses each count.
    const lock = await db.transaction().execute(async (trx) => {
      const { failed_logins } = await trx
        .updateTable('accounts')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', account.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      if (failed_logins < config.loginMaxFailures) return false;
      await trx
        .updateTable('accounts')
        .set({ failed_logins: 0, locked_until: new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() })
        .where('id', '=', account.id)
        .execute();
      await writeAudit(trx, ctx.dialect, { id: account.id, displayName: account.display_name, ip: input.ip }, {
        action: 'account.locked',
        entityType: 'account',
        entityId: account.id,
        orgId: account.org_id,
      });
      return true;
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', { minutes: config.lockoutMinutes });
    throw new AppError('INVALID_CREDENTIALS');
  }

  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
    await trx
      .insertInto('sessions')
      .values({
        id_hash: hashSessionId(sessionId),
        account_id: account.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + config.sessionTtlHours * 3_600_000).toISOString(),
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    // Housekeeping: expired sessions of this account go away at each login.
    await trx.deleteFrom('sessions').where('account_id', '=', account.id).where('expires_at', '<', now.toISOString()).execute();
    await writeAudit(trx, ctx.dialect, { id: account.id, displayName: account.display_name, ip: input.ip }, {
      action: 'auth.login',
      entityType: 'account',
      entityId: account.id,
      orgId: account.org_id,
    });
  });
  const org = await db.selectFrom('org_units').select('name').where('id', '=', account.org_id).executeTakeFirstOrThrow();
  return {
    sessionId,
    info: {
      account: {
        id: account.id,
        username: account.username,
        displayName: account.display_name,
        role: account.role as Role,
        orgId: account.org_id,
        orgName: org.name,
      },
      permissions: ROLE_PERMISSIONS[account.role as Role],
      csrfToken,
    },
  };
}

/** Resolves a session cookie to the actor, or null when absent/expired/disabled. */
export async function resolveSession(
  ctx: AppContext,
  sessionId: string,
  ip: string | null,
): Promise<{ actor: Actor; csrfToken: string; orgName: string } | null> {
  const row = await findSessionActor(ctx.db, hashSessionId(sessionId), new Date().toISOString());
  if (!row || row.status !== 'active') return null;
  return {
    actor: {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      orgId: row.org_id,
      orgPath: row.org_path,
      residentId: row.resident_id,
      ip,
    },
    csrfToken: row.csrf_token,
    orgName: row.org_name,
  };
}

export async function logout(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', hashSessionId(sessionId)).execute();
}

/** Changes the password after checking the current one; ends the account's other sessions. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const account = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) throw new AppError('INVALID_CREDENTIALS');
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', { detail: '新密码不能与当前密码相同' });
  }
  const hashed = await hashPassword(input.newPassword);
  const now = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set((eb) => ({ password_hash: hashed, password_changed_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', actor.id)
      .execute();
    await trx.deleteFrom('sessions').where('account_id', '=', actor.id).where('id_hash', '!=', hashSessionId(sessionId)).execute();
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'account.password_changed',
      entityType: 'account',
      entityId: actor.id,
      orgId: actor.orgId,
    });
  });
}
