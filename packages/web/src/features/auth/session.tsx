import { ROLES, hasPermission, type Permission, type Role } from '@haitang/contracts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler } from '../../api/client';
import type { Session } from '../../api/types';

type Status = 'loading' | 'anonymous' | 'authenticated';

interface SessionValue {
  status: Status;
  session: Session | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Whether the signed-in account's role holds a permission (contracts' ROLE_PERMISSIONS). */
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Loads /api/auth/me once, keeps the CSRF token for the API client, and drops the session on 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [session, setSession] = useState<Session | null>(null);

  const accept = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
    setStatus(next ? 'authenticated' : 'anonymous');
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => accept(null));
    let cancelled = false;
    api
      .get<Session>('/api/auth/me')
      .then((me) => !cancelled && accept(me))
      .catch((error: unknown) => {
        if (cancelled) return;
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('auth/me failed', error);
        accept(null);
      });
    return () => {
      cancelled = true;
      setUnauthenticatedHandler(null);
    };
  }, [accept]);

  const login = useCallback(
    async (username: string, password: string) => {
      accept(await api.post<Session>('/api/auth/login', { username, password }));
    },
    [accept],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      accept(null);
    }
  }, [accept]);

  const can = useCallback(
    (permission: Permission) => {
      const role = session?.account.role;
      return !!role && isRole(role) && hasPermission(role, permission);
    },
    [session],
  );

  const value = useMemo(() => ({ status, session, login, logout, can }), [status, session, login, logout, can]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
