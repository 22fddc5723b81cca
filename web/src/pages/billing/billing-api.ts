/**
 * What the billing page reads (src/ledger/routes/billing-routes.ts): the balance, one page of
 * transactions at a time, the CSV export of the same filters, and the spend summary. Each request
 * names the wallet: the user's own (no organisationId) or an organisation's shared one.
 */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { BALANCE_KEY, type Balance } from '../../api/billing';
import { api } from '../../api/client';
import type { MessageKey, Translate } from '../../i18n';

export const TRANSFER_KINDS = [
  'usage',
  'top_up',
  'manual_credit',
  'manual_debit',
  'promotion',
  'refund',
  'chargeback',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const KIND_LABELS: Record<TransferKind, MessageKey> = {
  usage: 'billing.kindUsage',
  top_up: 'billing.kindTopUp',
  manual_credit: 'billing.kindManualCredit',
  manual_debit: 'billing.kindManualDebit',
  promotion: 'billing.kindPromotion',
  refund: 'billing.kindRefund',
  chargeback: 'billing.kindChargeback',
};

/** A kind this page does not know yet is shown as the server names it. */
export function kindLabel(kind: string, t: Translate): string {
  const key = (KIND_LABELS as Record<string, MessageKey | undefined>)[kind];
  return key ? t(key) : kind;
}

export type Direction = 'credit' | 'debit';

export interface TransactionFilters {
  kinds: TransferKind[];
  direction: Direction | '';
  model: string;
  apiKeyId: string;
  /** Local dates (YYYY-MM-DD), both inclusive. */
  from: string;
  to: string;
}

export const NO_FILTERS: TransactionFilters = {
  kinds: [],
  direction: '',
  model: '',
  apiKeyId: '',
  from: '',
  to: '',
};

/** Local midnight of a YYYY-MM-DD date, `plusDays` later. */
function localMidnight(date: string, plusDays = 0): Date {
  const [year, month, day] = date.split('-').map((part) => Number.parseInt(part, 10));
  return new Date(year!, month! - 1, day! + plusDays);
}

/** The "To" day is inclusive on screen and the API's `to` is exclusive: it gets the next midnight. */
export function rangeProblem(filters: TransactionFilters): MessageKey | null {
  if (!filters.from || !filters.to) return null;
  return localMidnight(filters.to) < localMidnight(filters.from) ? 'billing.endBeforeStart' : null;
}

/** The query string of a filter set: the same for the table and the CSV download. */
export function filterSearch(filters: TransactionFilters, organisationId: string | null): string {
  const params = new URLSearchParams();
  if (organisationId) params.set('organisationId', organisationId);
  if (filters.kinds.length > 0) params.set('kind', filters.kinds.join(','));
  if (filters.direction) params.set('direction', filters.direction);
  if (filters.model.trim()) params.set('model', filters.model.trim());
  if (filters.apiKeyId) params.set('apiKeyId', filters.apiKeyId);
  if (filters.from) params.set('from', localMidnight(filters.from).toISOString());
  if (filters.to) params.set('to', localMidnight(filters.to, 1).toISOString());
  return params.toString();
}

export interface Transaction {
  id: number;
  createdAt: string;
  kind: string;
  direction: Direction;
  /** Signed: negative for money out. */
  amount: string;
  reason: string | null;
  model: string | null;
  apiKeyId: string | null;
  memberUserId: string | null;
  holdId: number | null;
}

interface TransactionPage {
  items: Transaction[];
  nextCursor: string | null;
}

const PAGE_SIZE = '50';

export function useTransactions(search: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['billing', 'transactions', search],
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams(search);
      params.set('limit', PAGE_SIZE);
      if (pageParam) params.set('cursor', pageParam);
      return api<TransactionPage>(`/api/billing/transactions?${params}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // The last answer stays on screen while a new filter loads, instead of a flash of "Loading".
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The signed-in user's wallet shares the header's cache entry; an organisation's has its own. */
export function useWalletBalance(organisationId: string | null) {
  return useQuery({
    queryKey: organisationId ? [...BALANCE_KEY, organisationId] : BALANCE_KEY,
    queryFn: () =>
      api<Balance>(
        organisationId
          ? `/api/billing/balance?organisationId=${encodeURIComponent(organisationId)}`
          : '/api/billing/balance',
      ),
  });
}

export interface Spend {
  amount: string;
  requests: number;
}

export interface ModelSpend extends Spend {
  model: string | null;
}

export interface ApiKeySpend extends Spend {
  /** Null for usage in the web app, without a key. */
  apiKeyId: string | null;
}

export interface NamedApiKeySpend extends ApiKeySpend {
  /** Kept once the key is revoked; null without a key, or for a key deleted with its user. */
  name: string | null;
  prefix: string | null;
  revoked: boolean;
}

export interface DaySpend extends Spend {
  date: string;
  models: ModelSpend[];
  apiKeys: ApiKeySpend[];
}

export interface SpendSummary {
  currency: string;
  from: string;
  to: string;
  total: Spend;
  days: DaySpend[];
  models: ModelSpend[];
  apiKeys: NamedApiKeySpend[];
}

export const SPEND_RANGES: ReadonlyArray<{ value: string; label: MessageKey }> = [
  { value: '7', label: 'billing.range7' },
  { value: '30', label: 'billing.range30' },
  { value: '90', label: 'billing.range90' },
  { value: '365', label: 'billing.range365' },
];

const DAY_MS = 86_400_000;

/** The last `days` UTC days, today included (the summary groups by UTC day). */
export function spendWindow(days: number, now = new Date()): { from: string; to: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const day = (time: number) => new Date(time).toISOString().slice(0, 10);
  return { from: day(today - (days - 1) * DAY_MS), to: day(today + DAY_MS) };
}

export function useSpend(days: number, organisationId: string | null) {
  const { from, to } = spendWindow(days);
  const params = new URLSearchParams({ from, to });
  if (organisationId) params.set('organisationId', organisationId);
  return useQuery({
    queryKey: ['billing', 'spend', params.toString()],
    queryFn: () => api<SpendSummary>(`/api/billing/spend?${params}`),
  });
}
