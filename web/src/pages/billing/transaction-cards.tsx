/** The transactions as stacked cards, for phones: the same facts as the table, one per card. */
import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { type Translate, useI18n } from '../../i18n';
import { kindLabel, type Transaction } from './billing-api';
import { amountText, keyText, type TransactionListProps } from './transactions-table';

/** "model · key", leaving out what the transfer does not have. */
function details(item: Transaction, keyName: (apiKeyId: string) => string, t: Translate): string {
  const key = item.apiKeyId || item.kind === 'usage' ? keyText(item, keyName, t) : null;
  return [item.model, key].filter(Boolean).join(' · ');
}

export function TransactionCards({ items, currency, keyName }: TransactionListProps) {
  const { t, formatDateTime } = useI18n();
  return (
    <Stack gap="xs" data-testid="transactions-table">
      {items.map((item) => (
        <Paper
          key={`${item.id}-${item.direction}`}
          withBorder
          p="sm"
          data-testid="transaction-row"
          data-kind={item.kind}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Badge variant="light" color={item.direction === 'credit' ? 'teal' : 'gray'}>
              {kindLabel(item.kind, t)}
            </Badge>
            <Text
              size="sm"
              fw={600}
              c={item.direction === 'credit' ? 'teal' : undefined}
              style={{ whiteSpace: 'nowrap' }}
              data-testid="transaction-amount"
            >
              {amountText(item, currency)}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            {formatDateTime(item.createdAt)}
          </Text>
          {details(item, keyName, t) && (
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {details(item, keyName, t)}
            </Text>
          )}
          {item.reason && (
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {item.reason}
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
