import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { formatMoney } from '../../components/money';
import { ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { useOrganisationBalance } from './organisation-api';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The organisation's shared wallet; the server shows it only to roles that may see billing. */
export function BalanceCard({ organisationId }: { organisationId: string }) {
  const balance = useOrganisationBalance(organisationId, true);
  const t = useT();
  return (
    <Card withBorder padding="lg" data-testid="organisation-balance">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            {t('organisation.sharedBalance')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('organisation.sharedBalanceText')}
          </Text>
        </div>
        {balance.isPending && <Loading />}
        {balance.isError && <ErrorState error={balance.error} onRetry={() => balance.refetch()} />}
        {balance.data && (
          <Group gap="xl" wrap="wrap">
            <Figure
              label={t('organisation.available')}
              value={formatMoney(balance.data.available, balance.data.currency)}
              testId="organisation-balance-available"
            />
            <Figure
              label={t('organisation.balance')}
              value={formatMoney(balance.data.balance, balance.data.currency)}
              testId="organisation-balance-total"
            />
            <Figure
              label={t('organisation.held')}
              value={formatMoney(balance.data.held, balance.data.currency)}
              testId="organisation-balance-held"
            />
          </Group>
        )}
      </Stack>
    </Card>
  );
}
