/** Shapes of /api/organisations (src/accounts/organisations/organisation-routes.ts). */
import { useQuery } from '@tanstack/react-query';
import type { Balance } from '../../api/billing';
import { api } from '../../api/client';
import type { MessageKey, Translate } from '../../i18n';

export const SPEND_LIMIT_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type SpendLimitPeriod = (typeof SPEND_LIMIT_PERIODS)[number];

export const PERIOD_LABELS: Record<SpendLimitPeriod, MessageKey> = {
  day: 'organisation.periodDay',
  week: 'organisation.periodWeek',
  month: 'organisation.periodMonth',
  total: 'organisation.periodTotal',
};

export interface OrganisationSummary {
  id: string;
  name: string;
  role: string;
  spendLimit: string | null;
  spendLimitPeriod: SpendLimitPeriod;
  joinedAt: string;
  createdAt: string;
}

export interface OrganisationMember {
  userId: string;
  username: string;
  email: string;
  role: string;
  spendLimit: string | null;
  spendLimitPeriod: SpendLimitPeriod;
  addedBy: string | null;
  joinedAt: string;
}

export interface OrganisationInvitation {
  id: string;
  email: string;
  role: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface OrganisationDetails {
  id: string;
  name: string;
  role: string;
  createdBy: string;
  authorityConfirmedAt: string;
  createdAt: string;
  /** Everyone for roles that may see members; only the caller otherwise. */
  members: OrganisationMember[];
  /** Pending invitations; null for roles that may not manage members. */
  invitations: OrganisationInvitation[] | null;
  /** Closed by its owner (or staff): nothing is spent through it, its content goes after the date. */
  status?: 'active' | 'closed';
  closedAt?: string | null;
  contentDeletedAfter?: string | null;
}

export const ORGANISATIONS_KEY = ['organisations'] as const;
export const organisationKey = (id: string) => ['organisations', id] as const;
export const organisationBalanceKey = (id: string) => ['billing', 'balance', id] as const;

export function useOrganisations() {
  return useQuery({
    queryKey: ORGANISATIONS_KEY,
    queryFn: async () => (await api<{ data: OrganisationSummary[] }>('/api/organisations')).data,
  });
}

export function useOrganisation(id: string) {
  return useQuery({
    queryKey: organisationKey(id),
    queryFn: () => api<OrganisationDetails>(`/api/organisations/${encodeURIComponent(id)}`),
  });
}

export function useOrganisationBalance(id: string, enabled: boolean) {
  return useQuery({
    queryKey: organisationBalanceKey(id),
    queryFn: () => api<Balance>(`/api/billing/balance?organisationId=${encodeURIComponent(id)}`),
    enabled,
  });
}

/** "25" -> "25.00 per month"; null -> "No limit". */
export function describeLimit(
  limit: string | null,
  period: SpendLimitPeriod,
  format: (amount: string) => string,
  t: Translate,
) {
  return limit === null
    ? t('organisation.noLimit')
    : t('organisation.limitPerPeriod', { amount: format(limit), period: t(PERIOD_LABELS[period]) });
}
