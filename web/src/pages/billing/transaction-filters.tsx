/** The filters GET /api/billing/transactions supports: type, direction, model, API key, dates. */
import { Autocomplete, Box, Button, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFilter } from '@tabler/icons-react';
import { type MessageKey, useT } from '../../i18n';
import { useApiKeys, useGatewayModels } from '../keys/api-keys-api';
import {
  KIND_LABELS,
  NO_FILTERS,
  TRANSFER_KINDS,
  type TransactionFilters,
  type TransferKind,
} from './billing-api';

const DIRECTIONS: ReadonlyArray<{ value: TransactionFilters['direction']; label: MessageKey }> = [
  { value: '', label: 'billing.directionBoth' },
  { value: 'credit', label: 'billing.directionIn' },
  { value: 'debit', label: 'billing.directionOut' },
];

export function TransactionFiltersForm({
  filters,
  onChange,
  rangeError,
}: {
  filters: TransactionFilters;
  onChange: (filters: TransactionFilters) => void;
  rangeError: string | null;
}) {
  const t = useT();
  const models = useGatewayModels();
  const keys = useApiKeys();
  const set = (patch: Partial<TransactionFilters>) => onChange({ ...filters, ...patch });
  const [shown, { toggle }] = useDisclosure(false);
  const active = (Object.keys(NO_FILTERS) as Array<keyof TransactionFilters>).filter(
    (name) => JSON.stringify(filters[name]) !== JSON.stringify(NO_FILTERS[name]),
  ).length;

  return (
    <>
      {/* Phones see the filters on demand; wider screens always. */}
      <Button
        hiddenFrom="sm"
        variant="default"
        leftSection={<IconFilter size={16} />}
        onClick={toggle}
        aria-expanded={shown}
        aria-controls="transaction-filters"
        data-testid="transactions-filters-toggle"
      >
        {shown
          ? t('billing.hideFilters')
          : active
            ? t('billing.filtersOn', { count: active })
            : t('billing.filters')}
      </Button>
      <Box visibleFrom={shown ? undefined : 'sm'} id="transaction-filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="transactions-filters">
          <MultiSelect
            label={t('billing.type')}
            placeholder={filters.kinds.length ? undefined : t('billing.allTypes')}
            data={TRANSFER_KINDS.map((kind) => ({ value: kind, label: t(KIND_LABELS[kind]) }))}
            value={filters.kinds}
            onChange={(kinds) => set({ kinds: kinds as TransferKind[] })}
            clearable
            data-testid="transactions-filter-kind"
          />
          <Select
            label={t('billing.direction')}
            data={DIRECTIONS.map((direction) => ({ value: direction.value, label: t(direction.label) }))}
            value={filters.direction}
            onChange={(direction) => set({ direction: (direction ?? '') as TransactionFilters['direction'] })}
            allowDeselect={false}
            data-testid="transactions-filter-direction"
          />
          <Autocomplete
            label={t('billing.model')}
            placeholder={t('billing.allModels')}
            data={[...new Set((models.data ?? []).map((model) => model.id))]}
            value={filters.model}
            onChange={(model) => set({ model })}
            limit={20}
            data-testid="transactions-filter-model"
          />
          <Select
            label={t('billing.apiKey')}
            data={[
              { value: '', label: t('billing.anyKey') },
              ...(keys.data ?? []).map((key) => ({
                value: key.id,
                label: t('billing.keyWithPrefix', { name: key.name, prefix: key.prefix }),
              })),
            ]}
            value={filters.apiKeyId}
            onChange={(apiKeyId) => set({ apiKeyId: apiKeyId ?? '' })}
            allowDeselect={false}
            data-testid="transactions-filter-key"
          />
          <TextInput
            type="date"
            label={t('billing.from')}
            value={filters.from}
            onChange={(event) => set({ from: event.currentTarget.value })}
            data-testid="transactions-filter-from"
          />
          <TextInput
            type="date"
            label={t('billing.toIncluded')}
            value={filters.to}
            onChange={(event) => set({ to: event.currentTarget.value })}
            error={rangeError}
            data-testid="transactions-filter-to"
          />
          {active > 0 && (
            <Button
              variant="subtle"
              onClick={() => onChange(NO_FILTERS)}
              style={{ justifySelf: 'start' }}
              data-testid="transactions-filter-reset"
            >
              {t('billing.clearFilters')}
            </Button>
          )}
        </SimpleGrid>
      </Box>
    </>
  );
}
