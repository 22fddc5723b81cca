/** What requests cost over the last days: per day by model or key, per model, per API key. */
import { Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { formatMoney } from '../../components/money';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { SPEND_RANGES, useSpend } from './billing-api';
import { ChartErrorBoundary } from './chart-error-boundary';

const SpendCharts = lazy(() => import('./spend-charts').then((module) => ({ default: module.SpendCharts })));

export function SpendSection({ organisationId }: { organisationId: string | null }) {
  const { t, rich } = useI18n();
  const [range, setRange] = useState<string>('30');
  const days = Number.parseInt(range, 10);
  const spend = useSpend(days, organisationId);

  return (
    <Card withBorder padding="md" data-testid="spend-section">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} size="h4">
              {t('billing.spendTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('billing.spendIntro')}
            </Text>
          </div>
          <SegmentedControl
            value={range}
            onChange={setRange}
            data={SPEND_RANGES.map((option) => ({ value: option.value, label: t(option.label) }))}
            aria-label={t('billing.period')}
            size="xs"
            data-testid="spend-range"
          />
        </Group>
        {spend.isPending ? (
          <Loading label={t('billing.loadingSpend')} />
        ) : spend.isError ? (
          <ErrorState error={spend.error} onRetry={() => spend.refetch()} />
        ) : (
          <>
            <Text size="sm" data-testid="spend-total">
              {rich('billing.spendTotal', {
                amount: (
                  <Text span fw={700}>
                    {formatMoney(spend.data.total.amount, spend.data.currency)}
                  </Text>
                ),
                requests: t('billing.requests', { count: spend.data.total.requests }),
              })}
            </Text>
            {spend.data.total.requests === 0 && !/[1-9]/.test(spend.data.total.amount) ? (
              <div data-testid="spend-empty">
                <EmptyState title={t('billing.nothingSpent')}>{t('billing.nothingSpentText')}</EmptyState>
              </div>
            ) : (
              <ChartErrorBoundary>
                <Suspense fallback={<Loading label={t('billing.loadingCharts')} />}>
                  <SpendCharts summary={spend.data} days={days} />
                </Suspense>
              </ChartErrorBoundary>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
