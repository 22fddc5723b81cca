/** One row per transfer: when, what, which model and key, and the signed amount. */
import { Badge, Table, Text } from '@mantine/core';
import { formatMoney } from '../../components/money';
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
export function keyText(item: Transaction, keyName: (apiKeyId: string) => string): string {
  if (item.apiKeyId) return keyName(item.apiKeyId);
  return item.kind === 'usage' ? 'Web app' : '—';
}

export function TransactionsTable({ items, currency, keyName }: TransactionListProps) {
  return (
    <Table.ScrollContainer minWidth={760} data-testid="transactions-table">
      <Table verticalSpacing="xs" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>API key</Table.Th>
            <Table.Th>Note</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
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
                  {new Date(item.createdAt).toLocaleString()}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={item.direction === 'credit' ? 'teal' : 'gray'}>
                  {kindLabel(item.kind)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {item.model ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={item.apiKeyId ? undefined : 'dimmed'}>
                  {keyText(item, keyName)}
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
