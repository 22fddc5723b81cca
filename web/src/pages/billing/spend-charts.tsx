/** The spend charts; recharts is heavy, so the billing page loads this module lazily. */
import { AreaChart, BarChart } from '@mantine/charts';
import { SimpleGrid, Stack, Text } from '@mantine/core';
import { formatMoney } from '../../components/money';
import type { SpendSummary } from './billing-api';
import { SpendBars } from './spend-bars';
import { dailyChart, keyBars, modelBars } from './spend-chart-data';

/** Chart values are drawn from the decimal text; six places give the amount back exactly. */
function formatValue(value: number): string {
  return formatMoney(value.toFixed(6));
}

export function SpendCharts({
  summary,
  days,
  keyName,
}: {
  summary: SpendSummary;
  days: number;
  keyName: (apiKeyId: string | null) => string;
}) {
  const daily = dailyChart(summary);
  const common = {
    h: 260,
    data: daily.data,
    dataKey: 'date',
    series: daily.series,
    type: 'stacked' as const,
    withLegend: true,
    valueFormatter: formatValue,
    yAxisProps: { width: 70 },
  };
  return (
    <Stack gap="lg">
      <div data-testid="spend-chart-days">
        <Text size="sm" fw={500} mb="xs">
          Per day, by model ({summary.currency})
        </Text>
        {days > 90 ? (
          <AreaChart {...common} withDots={false} curveType="monotone" />
        ) : (
          <BarChart {...common} />
        )}
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <div data-testid="spend-chart-models">
          <Text size="sm" fw={500} mb="xs">
            Per model
          </Text>
          <SpendBars bars={modelBars(summary)} currency={summary.currency} testId="spend-models-list" />
        </div>
        <div data-testid="spend-chart-keys">
          <Text size="sm" fw={500} mb="xs">
            Per API key
          </Text>
          <SpendBars bars={keyBars(summary, keyName)} currency={summary.currency} testId="spend-keys-list" />
        </div>
      </SimpleGrid>
    </Stack>
  );
}
