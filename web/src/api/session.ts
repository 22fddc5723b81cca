/**
 * The signed-in user, from GET /api/auth/session (null when signed out), shared through React
 * Query so every page sees one answer; log-in and log-out update it in place.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client';

export interface PublicUser {
  id: string;
  email: string;
  username: string;
  displayName: string | null;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  staffRole: string | null;
  createdAt: string;
}

export interface SessionReply {
  user: PublicUser;
  csrfToken: string;
}

export const SESSION_KEY = ['session'] as const;

export async function fetchSession(): Promise<SessionReply | null> {
  try {
    const session = await api<SessionReply>('/api/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: 1 });
}

/** After log-in: the new session becomes the current one without another round trip. */
export function useSessionUpdater() {
  const client = useQueryClient();
  return {
    signedIn(session: SessionReply) {
      setCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, session);
    },
    async signedOut() {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  };
}
