/** A ranked list of spend (per model, per key): name, exact amount, and a bar relative to the largest. */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { useT } from '../../i18n';
import type { RankedBar } from './spend-chart-data';

export function SpendBars({
  bars,
  currency,
  testId,
}: {
  bars: RankedBar[];
  currency: string;
  testId: string;
}) {
  const t = useT();
  return (
    <Stack gap="sm" data-testid={testId}>
      {bars.map((bar) => (
        <div key={bar.id} data-testid="spend-bar">
          <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {bar.label}{' '}
              <Text span size="xs" c="dimmed">
                · {t('billing.requests', { count: bar.requests })}
              </Text>
            </Text>
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {formatMoney(bar.amount, currency)}
            </Text>
          </Group>
          <Progress value={bar.percent} color={bar.color} size="sm" mt={4} aria-hidden />
        </div>
      ))}
    </Stack>
  );
}
