/** What requests cost over the last days: per day and model, per model, per API key. */
import { Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { formatMoney } from '../../components/money';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useApiKeys } from '../keys/api-keys-api';
import { SPEND_RANGES, useSpend } from './billing-api';
import { ChartErrorBoundary } from './chart-error-boundary';
import { requestsText } from './spend-chart-data';

const SpendCharts = lazy(() => import('./spend-charts').then((module) => ({ default: module.SpendCharts })));

export function SpendSection({ organisationId }: { organisationId: string | null }) {
  const [range, setRange] = useState<string>('30');
  const days = Number.parseInt(range, 10);
  const spend = useSpend(days, organisationId);
  const keys = useApiKeys();
  const keyName = (apiKeyId: string | null) => {
    if (apiKeyId === null) return 'Web app (no key)';
    return keys.data?.find((key) => key.id === apiKeyId)?.name ?? `Key ${apiKeyId.slice(0, 8)}`;
  };

  return (
    <Card withBorder padding="md" data-testid="spend-section">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} size="h4">
              Spend over time
            </Title>
            <Text size="sm" c="dimmed">
              What your requests cost, grouped by day (UTC).
            </Text>
          </div>
          <SegmentedControl
            value={range}
            onChange={setRange}
            data={SPEND_RANGES.map((option) => ({ value: option.value, label: option.label }))}
            aria-label="Period"
            size="xs"
            data-testid="spend-range"
          />
        </Group>
        {spend.isPending ? (
          <Loading label="Loading spend…" />
        ) : spend.isError ? (
          <ErrorState error={spend.error} onRetry={() => spend.refetch()} />
        ) : (
          <>
            <Text size="sm" data-testid="spend-total">
              Total:{' '}
              <Text span fw={700}>
                {formatMoney(spend.data.total.amount, spend.data.currency)}
              </Text>{' '}
              for {requestsText(spend.data.total.requests)}
            </Text>
            {spend.data.total.requests === 0 && !/[1-9]/.test(spend.data.total.amount) ? (
              <div data-testid="spend-empty">
                <EmptyState title="Nothing spent in this period">
                  Once you use a model, in the chat or with an API key, its cost is plotted here.
                </EmptyState>
              </div>
            ) : (
              <ChartErrorBoundary>
                <Suspense fallback={<Loading label="Loading the charts…" />}>
                  <SpendCharts summary={spend.data} days={days} keyName={keyName} />
                </Suspense>
              </ChartErrorBoundary>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
