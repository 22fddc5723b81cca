/** The pieces the keys table (wide screens) and the key cards (phones) both show. */
import { ActionIcon, Badge, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import { formatMoney } from '../../components/money';
import { type ApiKey, type KeyStatus, keyStatus, PERIOD_LABELS, useMyOrganisations } from './api-keys-api';

const STATUS_COLORS: Record<KeyStatus, string> = { active: 'teal', revoked: 'red', expired: 'gray' };

/** Below Mantine's `sm` breakpoint lists become stacked cards instead of wide tables. */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
}

export function when(iso: string | null, otherwise: string): string {
  return iso ? new Date(iso).toLocaleString() : otherwise;
}

export function limitText(key: ApiKey, currency: string | undefined): string {
  if (key.spendLimit === null) return 'No limit';
  return `${formatMoney(key.spendLimit, currency)} ${PERIOD_LABELS[key.spendLimitPeriod ?? 'total']}`;
}

/** The name of the organisation a key bills, when it bills one. */
export function useOrganisationName(): (id: string) => string {
  const organisations = useMyOrganisations();
  return (id) =>
    organisations.data?.find((organisation) => organisation.id === id)?.name ?? 'an organisation';
}

export function StatusBadge({ apiKey }: { apiKey: ApiKey }) {
  const status = keyStatus(apiKey);
  const label =
    status === 'revoked'
      ? `Revoked ${when(apiKey.revokedAt, '')}`
      : apiKey.expiresAt
        ? `${status === 'expired' ? 'Expired' : 'Expires'} ${when(apiKey.expiresAt, '')}`
        : 'Does not expire';
  return (
    <Tooltip label={label} withArrow>
      <Badge variant="light" color={STATUS_COLORS[status]} data-testid="key-status">
        {status}
      </Badge>
    </Tooltip>
  );
}

export function RevokeButton({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  if (keyStatus(apiKey) === 'revoked') return null;
  return (
    <Tooltip label="Revoke" withArrow>
      <ActionIcon
        variant="subtle"
        color="red"
        onClick={() => onRevoke(apiKey)}
        aria-label={`Revoke the key ${apiKey.name}`}
        data-testid="key-revoke-button"
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}
