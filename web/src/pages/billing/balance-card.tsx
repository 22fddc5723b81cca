/** The wallet now: what can be spent, the balance, and the credit held by requests in progress. */
import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { ErrorState, Loading } from '../../components/states';
import { useWalletBalance } from './billing-api';
import { TopUpButton } from './top-up-button';

function Figure({
  label,
  help,
  value,
  testId,
}: {
  label: string;
  help: string;
  value: string;
  testId: string;
}) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {help}
      </Text>
    </Stack>
  );
}

export function BalanceCard({ organisationId }: { organisationId: string | null }) {
  const balance = useWalletBalance(organisationId);

  return (
    <Card withBorder padding="md" data-testid="balance-card">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          Balance
        </Title>
        <TopUpButton />
      </Group>
      {balance.isPending ? (
        <Loading label="Loading the balance…" />
      ) : balance.isError ? (
        <ErrorState error={balance.error} onRetry={() => balance.refetch()} />
      ) : (
        <Stack>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure
              label="Available"
              help="What you can spend now"
              value={formatMoney(balance.data.available, balance.data.currency)}
              testId="balance-available"
            />
            <Figure
              label="Balance"
              help="All the credit in the wallet"
              value={formatMoney(balance.data.balance, balance.data.currency)}
              testId="balance-total"
            />
            <Figure
              label="Held"
              help="Reserved by requests in progress; released or charged when they finish"
              value={formatMoney(balance.data.held, balance.data.currency)}
              testId="balance-held"
            />
          </SimpleGrid>
          <OpenHolds
            holds={balance.data.openHolds}
            count={balance.data.openHoldCount}
            currency={balance.data.currency}
          />
        </Stack>
      )}
    </Card>
  );
}

type Hold = { id: number; amount: string; model: string | null; createdAt: string };

function OpenHolds({ holds, count, currency }: { holds: Hold[]; count: number; currency: string }) {
  if (count === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="open-holds-empty">
        No request in progress holds credit right now.
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="open-holds">
      <Text size="sm" fw={500}>
        {count === 1 ? '1 request in progress' : `${count} requests in progress`}
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model</Table.Th>
              <Table.Th ta="right">Held</Table.Th>
              <Table.Th>Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {holds.map((hold) => (
              <Table.Tr key={hold.id} data-testid="open-hold-row">
                <Table.Td style={{ wordBreak: 'break-all' }}>{hold.model ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatMoney(hold.amount, currency)}</Table.Td>
                <Table.Td>{new Date(hold.createdAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {count > holds.length && (
        <Text size="xs" c="dimmed">
          The {holds.length} newest are shown.
        </Text>
      )}
    </Stack>
  );
}
