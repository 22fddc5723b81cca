/** One row per transfer: when, what, which model and key, and the signed amount. */
import { Badge, Table, Text } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { type Translate, useI18n } from '../../i18n';
import { kindLabel, type Transaction } from './billing-api';

export interface TransactionListProps {
  items: Transaction[];
  currency: string | undefined;
  keyName: (apiKeyId: string) => string;
}

/** Money in shows a plus sign; money out arrives negative. */
export function amountText(item: Transaction, currency: string | undefined): string {
  return `${item.direction === 'credit' ? '+' : ''}${formatMoney(item.amount, currency)}`;
}

/** Usage without a key was made in the web app, with the session. */
export function keyText(item: Transaction, keyName: (apiKeyId: string) => string, t: Translate): string {
  if (item.apiKeyId) return keyName(item.apiKeyId);
  return item.kind === 'usage' ? t('billing.webApp') : '—';
}

export function TransactionsTable({ items, currency, keyName }: TransactionListProps) {
  const { t, formatDateTime } = useI18n();
  return (
    <Table.ScrollContainer minWidth={760} data-testid="transactions-table">
      <Table verticalSpacing="xs" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('billing.date')}</Table.Th>
            <Table.Th>{t('billing.type')}</Table.Th>
            <Table.Th>{t('billing.model')}</Table.Th>
            <Table.Th>{t('billing.apiKey')}</Table.Th>
            <Table.Th>{t('billing.note')}</Table.Th>
            <Table.Th ta="right">{t('billing.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr
              key={`${item.id}-${item.direction}`}
              data-testid="transaction-row"
              data-kind={item.kind}
            >
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(item.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={item.direction === 'credit' ? 'teal' : 'gray'}>
                  {kindLabel(item.kind, t)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {item.model ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={item.apiKeyId ? undefined : 'dimmed'}>
                  {keyText(item, keyName, t)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {item.reason ?? ''}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text
                  size="sm"
                  fw={500}
                  c={item.direction === 'credit' ? 'teal' : undefined}
                  style={{ whiteSpace: 'nowrap' }}
                  data-testid="transaction-amount"
                >
                  {amountText(item, currency)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
