/** The wallet's history: filters, a page of transfers at a time, and the same filters as CSV. */
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { useApiKeys } from '../keys/api-keys-api';
import { useIsPhone } from '../keys/key-parts';
import {
  filterSearch,
  NO_FILTERS,
  rangeProblem,
  type TransactionFilters,
  useTransactions,
} from './billing-api';
import { TransactionCards } from './transaction-cards';
import { TransactionFiltersForm } from './transaction-filters';
import { TransactionsTable } from './transactions-table';

export function TransactionsSection({
  organisationId,
  currency,
}: {
  organisationId: string | null;
  currency: string | undefined;
}) {
  const t = useT();
  const [filters, setFilters] = useState<TransactionFilters>(NO_FILTERS);
  const rangeKey = rangeProblem(filters);
  const rangeError = rangeKey && t(rangeKey);
  // Typing a model name asks once the typing stops, not at every key.
  const [settled] = useDebouncedValue(filters, 300);
  const search = filterSearch(settled, organisationId);
  const transactions = useTransactions(search, rangeProblem(settled) === null);
  const keys = useApiKeys();
  const isPhone = useIsPhone();
  const keyName = (apiKeyId: string) => {
    const key = keys.data?.find((candidate) => candidate.id === apiKeyId);
    return key ? key.name : t('billing.keyById', { id: apiKeyId.slice(0, 8) });
  };
  const items = transactions.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = search !== filterSearch(NO_FILTERS, organisationId);
  const csvSearch = filterSearch(filters, organisationId);

  return (
    <Card withBorder padding="md" data-testid="transactions-section">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} size="h4">
              {t('billing.transactions')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('billing.transactionsIntro')}
            </Text>
          </div>
          <Button
            component="a"
            href={rangeError ? undefined : `/api/billing/transactions.csv${csvSearch ? `?${csvSearch}` : ''}`}
            download
            disabled={rangeError !== null}
            variant="light"
            leftSection={<IconDownload size={16} />}
            data-testid="transactions-download-csv"
          >
            {t('billing.downloadCsv')}
          </Button>
        </Group>
        <TransactionFiltersForm filters={filters} onChange={setFilters} rangeError={rangeError} />
        {rangeError ? null : transactions.isPending ? (
          <Loading label={t('billing.loadingTransactions')} />
        ) : !transactions.data ? (
          <ErrorState error={transactions.error} onRetry={() => transactions.refetch()} />
        ) : items.length === 0 ? (
          <div data-testid="transactions-empty">
            <EmptyState title={isFiltered ? t('billing.noMatch') : t('billing.noTransactions')}>
              {isFiltered ? t('billing.noMatchText') : t('billing.noTransactionsText')}
            </EmptyState>
          </div>
        ) : (
          <>
            {isPhone ? (
              <TransactionCards items={items} currency={currency} keyName={keyName} />
            ) : (
              <TransactionsTable items={items} currency={currency} keyName={keyName} />
            )}
            {transactions.isFetchNextPageError && (
              <ErrorState error={transactions.error} onRetry={() => transactions.fetchNextPage()} />
            )}
            {transactions.hasNextPage && (
              <Button
                variant="default"
                onClick={() => transactions.fetchNextPage()}
                loading={transactions.isFetchingNextPage}
                style={{ alignSelf: 'center' }}
                data-testid="transactions-load-more"
              >
                {t('billing.olderTransactions')}
              </Button>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
