/** The keys as stacked cards, for phones: the same facts as the table, one key per card. */
import { Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useBalance } from '../../api/billing';
import { useT } from '../../i18n';
import { type ApiKey, keyStatus } from './api-keys-api';
import { LimitUsage, RevokeButton, StatusBadge, useOrganisationName, useWhen } from './key-parts';

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

export function KeyCards({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const t = useT();
  const when = useWhen();
  const currency = useBalance().data?.currency;
  const organisationName = useOrganisationName();

  return (
    <Stack gap="sm" data-testid="keys-table">
      {keys.map((key) => (
        <Paper
          key={key.id}
          withBorder
          p="sm"
          data-testid="key-row"
          data-key-id={key.id}
          data-status={keyStatus(key)}
        >
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <Stack gap={2} miw={0}>
              <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                {key.name}
              </Text>
              <Code style={{ wordBreak: 'break-all', alignSelf: 'flex-start' }}>{key.prefix}…</Code>
              {key.organisationId && (
                <Text size="xs" c="dimmed">
                  {t('keys.paidBy', { name: organisationName(key.organisationId) })}
                </Text>
              )}
            </Stack>
            <Group gap={4} wrap="nowrap">
              <StatusBadge apiKey={key} />
              <RevokeButton apiKey={key} onRevoke={onRevoke} />
            </Group>
          </Group>
          <SimpleGrid cols={2} spacing="xs" mt="xs">
            <Fact label={t('keys.created')}>{when(key.createdAt)}</Fact>
            <Fact label={t('keys.lastUsed')}>{when(key.lastUsedAt, t('keys.never'))}</Fact>
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t('keys.spendLimit')}
          </Text>
          <LimitUsage apiKey={key} currency={currency} />
        </Paper>
      ))}
    </Stack>
  );
}
