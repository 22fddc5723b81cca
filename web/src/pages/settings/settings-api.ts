/** Shapes of the account routes the Settings page calls (src/accounts/routes/*.ts). */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { type PublicUser, SESSION_KEY, type SessionReply } from '../../api/session';

export interface AccountSession {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  /** ISO country of the IP address, from the server's offline database. */
  country: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
}

export interface RecoveryCodesReply {
  recoveryCodes: string[];
  notice: string;
}

/** What PATCH /api/account/profile takes: only the fields to change; an empty display name clears it. */
export interface ProfileChanges {
  username?: string;
  displayName?: string | null;
}

export interface EmailChangeReply {
  status: 'accepted';
  /** Names the address the link went to. */
  message: string;
}

export interface RoutingPolicy {
  allowedProviders: string[] | null;
  zeroRetentionOnly: boolean;
  regions: string[] | null;
}

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
] as const;

export type Language = (typeof LANGUAGES)[number]['value'];

export { PREFERENCES_KEY, type Preferences, usePreferences } from '../../api/preferences';

export const SESSIONS_KEY = ['account', 'sessions'] as const;
export const ROUTING_KEY = ['account', 'routing'] as const;

/** Saves the profile and puts the answer into the session, so every page shows the new names at once. */
export async function saveProfile(client: QueryClient, changes: ProfileChanges): Promise<PublicUser> {
  const { user } = await api<{ user: PublicUser }>('/api/account/profile', {
    method: 'PATCH',
    json: changes,
  });
  client.setQueryData<SessionReply | null>(SESSION_KEY, (session) =>
    session ? { ...session, user } : session,
  );
  return user;
}

/** Mails a confirmation link to the new address; the address changes only when it is opened. */
export function requestEmailChange(body: { newEmail: string; password: string }): Promise<EmailChangeReply> {
  return api<EmailChangeReply>('/api/account/email', { json: body });
}

export function useAccountSessions() {
  return useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: async () => (await api<{ data: AccountSession[] }>('/api/account/sessions')).data,
  });
}

export function useRoutingPolicy() {
  return useQuery({ queryKey: ROUTING_KEY, queryFn: () => api<RoutingPolicy>('/api/account/routing') });
}

/** null while the server has no preferences route yet (it answers 404). */

/** Providers this instance serves, as suggestions; the server validates against every known one. */
export function useServedProviders() {
  return useQuery({
    queryKey: ['models', 'providers'],
    queryFn: async () => {
      const list = await api<{ data: Array<{ owned_by: string }> }>('/v1/models');
      return [...new Set(list.data.map((model) => model.owned_by))].sort();
    },
    staleTime: 5 * 60_000,
  });
}
