/** The filters GET /api/billing/transactions supports: type, direction, model, API key, dates. */
import { Autocomplete, Box, Button, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFilter } from '@tabler/icons-react';
import { useApiKeys, useGatewayModels } from '../keys/api-keys-api';
import {
  KIND_LABELS,
  NO_FILTERS,
  TRANSFER_KINDS,
  type TransactionFilters,
  type TransferKind,
} from './billing-api';

const DIRECTIONS = [
  { value: '', label: 'Money in and out' },
  { value: 'credit', label: 'Money in' },
  { value: 'debit', label: 'Money out' },
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
        {shown ? 'Hide the filters' : `Filters${active ? ` (${active} on)` : ''}`}
      </Button>
      <Box visibleFrom={shown ? undefined : 'sm'} id="transaction-filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="transactions-filters">
          <MultiSelect
            label="Type"
            placeholder={filters.kinds.length ? undefined : 'All types'}
            data={TRANSFER_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
            value={filters.kinds}
            onChange={(kinds) => set({ kinds: kinds as TransferKind[] })}
            clearable
            data-testid="transactions-filter-kind"
          />
          <Select
            label="Direction"
            data={DIRECTIONS}
            value={filters.direction}
            onChange={(direction) => set({ direction: (direction ?? '') as TransactionFilters['direction'] })}
            allowDeselect={false}
            data-testid="transactions-filter-direction"
          />
          <Autocomplete
            label="Model"
            placeholder="All models"
            data={[...new Set((models.data ?? []).map((model) => model.id))]}
            value={filters.model}
            onChange={(model) => set({ model })}
            limit={20}
            data-testid="transactions-filter-model"
          />
          <Select
            label="API key"
            data={[
              { value: '', label: 'Any key or the web app' },
              ...(keys.data ?? []).map((key) => ({ value: key.id, label: `${key.name} (${key.prefix}…)` })),
            ]}
            value={filters.apiKeyId}
            onChange={(apiKeyId) => set({ apiKeyId: apiKeyId ?? '' })}
            allowDeselect={false}
            data-testid="transactions-filter-key"
          />
          <TextInput
            type="date"
            label="From"
            value={filters.from}
            onChange={(event) => set({ from: event.currentTarget.value })}
            data-testid="transactions-filter-from"
          />
          <TextInput
            type="date"
            label="To (included)"
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
              Clear the filters
            </Button>
          )}
        </SimpleGrid>
      </Box>
    </>
  );
}
