/** API keys: create one (shown once), see and revoke them, and copy an example that calls the API. */
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { addEnglishArea, useT } from '../../i18n';
import { keys as messages } from '../../i18n/messages/en/keys';
import { type ApiKey, type CreatedApiKey, useApiKeys } from './api-keys-api';
import { CreateKeyModal } from './create-key-modal';
import { CreatedKeyModal } from './created-key-modal';
import { KeyCards } from './key-cards';
import { useIsPhone } from './key-parts';
import { KeysTable } from './keys-table';
import { RevokeKeyModal } from './revoke-key-modal';
import { UsageSnippets } from './usage-snippets';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('keys', messages);

export function ApiKeysPage() {
  const t = useT();
  const keys = useApiKeys();
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const isPhone = useIsPhone();

  const onCreated = (key: CreatedApiKey) => {
    closeCreate();
    setCreated(key);
    notifications.show({
      color: 'teal',
      title: t('keys.keyCreated'),
      message: t('keys.readyToUse', { name: key.name }),
    });
  };

  return (
    <Stack gap="lg" maw={1100} data-testid="api-keys-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {t('keys.title')}
          </Title>
          <Text size="sm" c="dimmed" maw={640}>
            {t('keys.intro')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={openCreate} data-testid="create-key-button">
          {t('keys.create')}
        </Button>
      </Group>

      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="xs">
          {t('keys.yourKeys')}
        </Title>
        {keys.isPending ? (
          <Loading label={t('keys.loadingKeys')} />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
        ) : keys.data.length === 0 ? (
          <div data-testid="keys-empty">
            <EmptyState title={t('keys.noKeys')}>{t('keys.noKeysText')}</EmptyState>
          </div>
        ) : isPhone ? (
          <KeyCards keys={keys.data} onRevoke={setRevoking} />
        ) : (
          <KeysTable keys={keys.data} onRevoke={setRevoking} />
        )}
      </Card>

      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="xs">
          {t('keys.callTheApi')}
        </Title>
        <UsageSnippets />
      </Card>

      <CreateKeyModal opened={creating} onClose={closeCreate} onCreated={onCreated} />
      <CreatedKeyModal created={created} onClose={() => setCreated(null)} />
      <RevokeKeyModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
