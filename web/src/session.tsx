// Who is signed in: loaded once from GET /api/auth/session (200 with `user: null` when signed
// out), refreshed after sign-in/out.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, get, post, setCsrfToken } from './api';
import type { User } from './types';

interface Session {
  user: User | null;
  loading: boolean;
  refresh(): Promise<User | null>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const s = await get<{ user: User | null; csrf_token: string | null }>('/api/auth/session');
      setCsrfToken(s.csrf_token);
      setUser(s.user);
      return s.user;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) console.warn('session check failed', err instanceof Error ? err.message : err);
      setCsrfToken(null);
      setUser(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await post<void>('/api/auth/logout');
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ user, loading, refresh, signOut }), [user, loading, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
