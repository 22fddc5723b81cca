/**
 * The per-day chart's numbers as a table, for the days with spend: exact amounts, and a way to
 * read the chart without seeing it (the chart's drawing says nothing to a screen reader).
 */
import { Table, Text } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { useT } from '../../i18n';
import type { DailyChart } from './spend-chart-data';

export function SpendDaysTable({
  chart,
  caption,
  currency,
}: {
  chart: DailyChart;
  caption: string;
  currency: string;
}) {
  const t = useT();
  // A year of mostly empty days would bury the few that matter.
  const rows = chart.rows.filter((row) => /[1-9]/.test(row.total));
  return (
    <Table.ScrollContainer
      minWidth={140 + 130 * (chart.series.length + 1)}
      // Focusable, so that a keyboard can scroll a table wider than the screen.
      scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('billing.tableLabel', { caption }) } }}
      data-testid="spend-days-table"
    >
      <Table verticalSpacing={4} striped captionSide="top">
        <Table.Caption ta="left">
          <Text span size="sm">
            {t('billing.tableCaption', { caption, currency })}
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('billing.dayUtc')}</Table.Th>
            {chart.series.map((entry) => (
              <Table.Th key={entry.name} ta="right" style={{ wordBreak: 'break-word' }}>
                {entry.label}
              </Table.Th>
            ))}
            <Table.Th ta="right">{t('billing.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.day}>
              <Table.Th scope="row" fw={400} style={{ whiteSpace: 'nowrap' }}>
                {row.date}
              </Table.Th>
              {chart.series.map((entry) => (
                <Table.Td key={entry.name} ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(row.amounts[entry.name] ?? '0')}
                </Table.Td>
              ))}
              <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(row.total)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
