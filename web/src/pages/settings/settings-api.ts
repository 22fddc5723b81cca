/** Shapes of the account routes the Settings page calls (src/accounts/routes/*.ts). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface AccountSession {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
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
