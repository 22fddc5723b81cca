/** The spend charts; recharts is heavy, so the billing page loads this module lazily. */
import { AreaChart, BarChart } from '@mantine/charts';
import { Button, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { formatMoney } from '../../components/money';
import { type MessageKey, useT } from '../../i18n';
import type { SpendSummary } from './billing-api';
import { SpendBars } from './spend-bars';
import { dailyChart, keyBars, keyLabels, modelBars, type SpendBreakdown } from './spend-chart-data';
import { SpendDaysTable } from './spend-days-table';

/** Chart values are drawn from the decimal text; six places give the amount back exactly. */
function formatValue(value: number): string {
  return formatMoney(value.toFixed(6));
}

const BREAKDOWNS: ReadonlyArray<{ value: SpendBreakdown; label: MessageKey }> = [
  { value: 'model', label: 'billing.byModel' },
  { value: 'key', label: 'billing.byKey' },
];

export function SpendCharts({ summary, days }: { summary: SpendSummary; days: number }) {
  const t = useT();
  const [breakdown, setBreakdown] = useState<SpendBreakdown>('model');
  const [tableShown, setTableShown] = useState(false);
  const keyLabel = keyLabels(summary.apiKeys, t);
  const daily = dailyChart(summary, breakdown, keyLabel, t);
  const title = breakdown === 'model' ? t('billing.perDayByModel') : t('billing.perDayByKey');
  const common = {
    h: 260,
    data: daily.data,
    dataKey: 'date',
    series: daily.series,
    type: 'stacked' as const,
    withLegend: true,
    legendProps: { verticalAlign: 'bottom' as const },
    valueFormatter: formatValue,
    yAxisProps: { width: 70 },
  };
  return (
    <Stack gap="lg">
      <div data-testid="spend-chart-days" data-breakdown={breakdown}>
        <Group justify="space-between" align="center" mb="xs" gap="xs" wrap="wrap">
          <Text size="sm" fw={500}>
            {title} ({summary.currency})
          </Text>
          <SegmentedControl
            value={breakdown}
            onChange={(value) => setBreakdown(value as SpendBreakdown)}
            data={BREAKDOWNS.map((option) => ({ value: option.value, label: t(option.label) }))}
            aria-label={t('billing.splitPerDay')}
            size="xs"
            data-testid="spend-breakdown"
          />
        </Group>
        {days > 90 ? (
          <AreaChart {...common} withDots={false} curveType="monotone" />
        ) : (
          <BarChart {...common} />
        )}
        <Button
          variant="subtle"
          size="compact-sm"
          mt="xs"
          onClick={() => setTableShown((shown) => !shown)}
          aria-expanded={tableShown}
          data-testid="spend-days-table-toggle"
        >
          {tableShown ? t('billing.hideTable') : t('billing.showTable')}
        </Button>
        {tableShown && <SpendDaysTable chart={daily} caption={title} currency={summary.currency} />}
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <div data-testid="spend-chart-models">
          <Text size="sm" fw={500} mb="xs">
            {t('billing.perModel')}
          </Text>
          <SpendBars bars={modelBars(summary, t)} currency={summary.currency} testId="spend-models-list" />
        </div>
        <div data-testid="spend-chart-keys">
          <Text size="sm" fw={500} mb="xs">
            {t('billing.perApiKey')}
          </Text>
          <SpendBars bars={keyBars(summary, keyLabel)} currency={summary.currency} testId="spend-keys-list" />
        </div>
      </SimpleGrid>
    </Stack>
  );
}
