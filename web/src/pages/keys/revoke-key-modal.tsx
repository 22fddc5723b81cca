/** Asks before revoking a key: programs that use it stop working at once, and it cannot be undone. */
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/client';
import { API_KEYS_KEY, type ApiKey } from './api-keys-api';

export function RevokeKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api(`/api/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' }),
    onSuccess: async (_reply, key) => {
      await client.invalidateQueries({ queryKey: API_KEYS_KEY });
      notifications.show({ color: 'teal', title: 'Key revoked', message: `“${key.name}” no longer works.` });
      onClose();
    },
  });

  const close = () => {
    revoke.reset();
    onClose();
  };

  return (
    <Modal opened={apiKey !== null} onClose={close} title="Revoke this API key?">
      {apiKey && (
        <Stack data-testid="revoke-key-modal">
          <Text size="sm">
            Programs that use <b style={{ wordBreak: 'break-word' }}>{apiKey.name}</b> (
            <Code style={{ wordBreak: 'break-all' }}>{apiKey.prefix}…</Code>) will get an error from now on.
            This cannot be undone; you can create a new key instead.
          </Text>
          {revoke.isError && (
            <Alert color="red" role="alert">
              {errorMessage(revoke.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoke.mutate(apiKey)}
              data-testid="revoke-key-confirm"
            >
              Revoke key
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
