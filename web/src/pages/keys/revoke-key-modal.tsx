/** Asks before revoking a key: programs that use it stop working at once, and it cannot be undone. */
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/client';
import { useI18n } from '../../i18n';
import { API_KEYS_KEY, type ApiKey } from './api-keys-api';

export function RevokeKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const { t, rich } = useI18n();
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api(`/api/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' }),
    onSuccess: async (_reply, key) => {
      await client.invalidateQueries({ queryKey: API_KEYS_KEY });
      notifications.show({
        color: 'teal',
        title: t('keys.keyRevoked'),
        message: t('keys.noLongerWorks', { name: key.name }),
      });
      onClose();
    },
  });

  const close = () => {
    revoke.reset();
    onClose();
  };

  return (
    <Modal opened={apiKey !== null} onClose={close} title={t('keys.revokeTitle')}>
      {apiKey && (
        <Stack data-testid="revoke-key-modal">
          <Text size="sm">
            {rich('keys.revokeText', {
              name: <b style={{ wordBreak: 'break-word' }}>{apiKey.name}</b>,
              prefix: <Code style={{ wordBreak: 'break-all' }}>{apiKey.prefix}…</Code>,
            })}
          </Text>
          {revoke.isError && (
            <Alert color="red" role="alert">
              {errorMessage(revoke.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoke.mutate(apiKey)}
              data-testid="revoke-key-confirm"
            >
              {t('keys.revokeKey')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
