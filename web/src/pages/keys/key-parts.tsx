/** The pieces the keys table (wide screens) and the key cards (phones) both show. */
import { ActionIcon, Badge, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import { formatMoney } from '../../components/money';
import { type MessageKey, type Translate, useI18n, useT } from '../../i18n';
import { toMicros } from '../billing/spend-chart-data';
import {
  type ApiKey,
  CURRENT_PERIOD_LABELS,
  type KeyStatus,
  keyStatus,
  PERIOD_LABELS,
  useMyOrganisations,
} from './api-keys-api';

const STATUS_COLORS: Record<KeyStatus, string> = { active: 'teal', revoked: 'red', expired: 'gray' };
const STATUS_LABELS: Record<KeyStatus, MessageKey> = {
  active: 'keys.statusActive',
  revoked: 'keys.statusRevoked',
  expired: 'keys.statusExpired',
};

/** Below Mantine's `sm` breakpoint lists become stacked cards instead of wide tables. */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
}

/** A moment in the reader's locale, or what to say when there is none ("Never"). */
export function useWhen(): (iso: string | null, otherwise?: string) => string {
  const { formatDateTime } = useI18n();
  return (iso, otherwise = '') => (iso ? formatDateTime(iso) : otherwise);
}

function limitText(key: ApiKey, currency: string | undefined, t: Translate): string {
  if (key.spendLimit === null) return t('keys.noLimit');
  return t('keys.limitPerPeriod', {
    amount: formatMoney(key.spendLimit, currency),
    period: t(PERIOD_LABELS[key.spendLimitPeriod ?? 'total']),
  });
}

/** How much of the limit is used, 0 to 100, worked out in micros. */
function usedPercent(spent: string, limit: string): number {
  const limitMicros = toMicros(limit);
  if (limitMicros <= 0n) return 100;
  const tenths = (toMicros(spent) * 1000n) / limitMicros;
  return Math.min(100, Number(tenths) / 10);
}

/**
 * What a key spent in its limit's current period against that limit ("3.20 of 10.00 USD this
 * month") with a bar; requests in flight are not counted until they finish.
 */
export function LimitUsage({ apiKey, currency }: { apiKey: ApiKey; currency: string | undefined }) {
  const t = useT();
  if (apiKey.spendLimit === null || apiKey.spent === null) {
    return <Text size="sm">{limitText(apiKey, currency, t)}</Text>;
  }
  const percent = usedPercent(apiKey.spent, apiKey.spendLimit);
  const text = t('keys.limitUsage', {
    spent: formatMoney(apiKey.spent),
    limit: formatMoney(apiKey.spendLimit, currency),
    period: t(CURRENT_PERIOD_LABELS[apiKey.spendLimitPeriod ?? 'total']),
  });
  return (
    <Stack gap={4} miw={120} data-testid="key-limit-usage">
      <Text size="sm">{text}</Text>
      <Progress
        value={percent}
        size="sm"
        color={percent >= 100 ? 'red' : percent >= 80 ? 'orange' : 'teal'}
        aria-label={t('keys.limitUsageLabel', { name: apiKey.name, usage: text })}
      />
    </Stack>
  );
}

/** The name of the organisation a key bills, when it bills one. */
export function useOrganisationName(): (id: string) => string {
  const t = useT();
  const organisations = useMyOrganisations();
  return (id) =>
    organisations.data?.find((organisation) => organisation.id === id)?.name ?? t('keys.anOrganisation');
}

export function StatusBadge({ apiKey }: { apiKey: ApiKey }) {
  const t = useT();
  const when = useWhen();
  const status = keyStatus(apiKey);
  const label =
    status === 'revoked'
      ? t('keys.revokedOn', { date: when(apiKey.revokedAt) })
      : apiKey.expiresAt
        ? t(status === 'expired' ? 'keys.expiredOn' : 'keys.expiresOn', { date: when(apiKey.expiresAt) })
        : t('keys.noExpiry');
  return (
    <Tooltip label={label} withArrow>
      {/* A visible overflow keeps the word whole when a long name or the limit crowds the row. */}
      <Badge
        variant="light"
        color={STATUS_COLORS[status]}
        styles={{ label: { overflow: 'visible' } }}
        data-testid="key-status"
      >
        {t(STATUS_LABELS[status])}
      </Badge>
    </Tooltip>
  );
}

export function RevokeButton({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  const t = useT();
  if (keyStatus(apiKey) === 'revoked') return null;
  return (
    <Tooltip label={t('keys.revoke')} withArrow>
      <ActionIcon
        variant="subtle"
        color="red"
        onClick={() => onRevoke(apiKey)}
        aria-label={t('keys.revokeNamed', { name: apiKey.name })}
        data-testid="key-revoke-button"
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}
