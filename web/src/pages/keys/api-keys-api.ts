/**
 * What the API keys page (and the billing page, to name keys) reads from the server:
 * GET/POST /api/keys, DELETE /api/keys/:id (src/accounts/routes/api-key-routes.ts), the
 * organisations a key may bill (GET /api/organisations) and the models of GET /v1/models.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { MessageKey } from '../../i18n';

export const SPEND_LIMIT_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type SpendLimitPeriod = (typeof SPEND_LIMIT_PERIODS)[number];

export const PERIOD_LABELS: Record<SpendLimitPeriod, MessageKey> = {
  day: 'keys.periodDay',
  week: 'keys.periodWeek',
  month: 'keys.periodMonth',
  total: 'keys.periodTotal',
};

/** The limit's current period, as in "3.20 of 10.00 this month". */
export const CURRENT_PERIOD_LABELS: Record<SpendLimitPeriod, MessageKey> = {
  day: 'keys.currentDay',
  week: 'keys.currentWeek',
  month: 'keys.currentMonth',
  total: 'keys.currentTotal',
};

export const API_KEY_SCOPES = [
  { value: 'inference', label: 'keys.scopeInference', description: 'keys.scopeInferenceText' },
  { value: 'models:read', label: 'keys.scopeModelsRead', description: 'keys.scopeModelsReadText' },
] as const satisfies ReadonlyArray<{ value: string; label: MessageKey; description: MessageKey }>;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]['value'];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  organisationId: string | null;
  scopes: string[];
  spendLimit: string | null;
  spendLimitPeriod: SpendLimitPeriod | null;
  /** Spent in the limit's current period (UTC); null without a limit. */
  spent: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreateApiKeyBody {
  name: string;
  scopes?: ApiKeyScope[];
  expiresAt?: string;
  spendLimit?: string;
  spendLimitPeriod?: SpendLimitPeriod;
  organisationId?: string;
}

export interface CreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  name: string;
  notice: string;
}

export const API_KEYS_KEY = ['api-keys'] as const;

export function useApiKeys() {
  return useQuery({
    queryKey: API_KEYS_KEY,
    queryFn: async () => (await api<{ data: ApiKey[] }>('/api/keys')).data,
  });
}

export type KeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(key: ApiKey, now = Date.now()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

export interface MyOrganisation {
  id: string;
  name: string;
  role: string;
}

/** Distinct from the organisation page's own key: this one caches the raw list reply. */
const MY_ORGANISATIONS_KEY = ['organisations', 'mine', 'raw'] as const;

export function useMyOrganisations() {
  return useQuery({
    queryKey: MY_ORGANISATIONS_KEY,
    queryFn: async () => (await api<{ data: MyOrganisation[] }>('/api/organisations')).data,
    staleTime: 60_000,
  });
}

interface GatewayModel {
  id: string;
  modality?: string;
}

/** The models this instance serves (the session works for /v1 too). */
export function useGatewayModels() {
  return useQuery({
    queryKey: ['v1-models', 'raw'],
    queryFn: async () => (await api<{ data: GatewayModel[] }>('/v1/models')).data,
    staleTime: 5 * 60_000,
  });
}

/** The model the code examples use: the first text model served, or the built-in echo model. */
export function useExampleModel(): string {
  const models = useGatewayModels();
  return models.data?.find((model) => model.modality === 'text')?.id ?? 'local/echo';
}
