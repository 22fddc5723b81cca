/** The wallet now: what can be spent, the balance, and the credit held by requests in progress. */
import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { ErrorState, Loading } from '../../components/states';
import { useI18n, useT } from '../../i18n';
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
  const t = useT();
  const balance = useWalletBalance(organisationId);

  return (
    <Card withBorder padding="md" data-testid="balance-card">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          {t('billing.balance')}
        </Title>
        <TopUpButton />
      </Group>
      {balance.isPending ? (
        <Loading label={t('billing.loadingBalance')} />
      ) : balance.isError ? (
        <ErrorState error={balance.error} onRetry={() => balance.refetch()} />
      ) : (
        <Stack>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure
              label={t('billing.available')}
              help={t('billing.availableHelp')}
              value={formatMoney(balance.data.available, balance.data.currency)}
              testId="balance-available"
            />
            <Figure
              label={t('billing.balance')}
              help={t('billing.balanceHelp')}
              value={formatMoney(balance.data.balance, balance.data.currency)}
              testId="balance-total"
            />
            <Figure
              label={t('billing.held')}
              help={t('billing.heldHelp')}
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
  const { t, formatDateTime } = useI18n();
  if (count === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="open-holds-empty">
        {t('billing.noOpenHolds')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="open-holds">
      <Text size="sm" fw={500}>
        {t('billing.requestsInProgress', { count })}
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('billing.model')}</Table.Th>
              <Table.Th ta="right">{t('billing.held')}</Table.Th>
              <Table.Th>{t('billing.since')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {holds.map((hold) => (
              <Table.Tr key={hold.id} data-testid="open-hold-row">
                <Table.Td style={{ wordBreak: 'break-all' }}>{hold.model ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatMoney(hold.amount, currency)}</Table.Td>
                <Table.Td>{formatDateTime(hold.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {count > holds.length && (
        <Text size="xs" c="dimmed">
          {t('billing.newestShown', { count: holds.length })}
        </Text>
      )}
    </Stack>
  );
}
