/** The new key, shown once: copy it now, it cannot be shown again. */
import { Alert, Button, Code, CopyButton, Divider, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useT } from '../../i18n';
import type { CreatedApiKey } from './api-keys-api';
import { UsageSnippets } from './usage-snippets';

export function CreatedKeyModal({
  created,
  onClose,
}: {
  created: CreatedApiKey | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title={t('keys.newKeyTitle')}
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack data-testid="created-key-modal">
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('keys.copyNow')}>
            {t('keys.copyNowText')}
          </Alert>
          <Text size="sm" fw={500}>
            {created.name}
          </Text>
          <Code
            block
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            data-testid="created-key-value"
          >
            {created.key}
          </Code>
          <CopyButton value={created.key} timeout={2000}>
            {({ copied, copy }) => (
              <Button
                onClick={copy}
                color={copied ? 'teal' : undefined}
                leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                data-testid="created-key-copy"
              >
                {copied ? t('keys.copiedKey') : t('keys.copyKey')}
              </Button>
            )}
          </CopyButton>
          <Divider label={t('keys.tryIt')} labelPosition="left" />
          <UsageSnippets apiKey={created.key} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="created-key-done">
              {t('keys.haveCopied')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
