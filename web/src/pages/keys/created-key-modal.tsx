/** The new key, shown once: copy it now, it cannot be shown again. */
import { Alert, Button, Code, CopyButton, Divider, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { CreatedApiKey } from './api-keys-api';
import { UsageSnippets } from './usage-snippets';

export function CreatedKeyModal({
  created,
  onClose,
}: {
  created: CreatedApiKey | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="Your new API key"
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack data-testid="created-key-modal">
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy this key now">
            This is the only time the key is shown. Mixgate keeps only a fingerprint of it, so if you lose it
            you will have to create a new one. Keep it secret: anyone who has it can spend your balance.
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
                {copied ? 'Copied to the clipboard' : 'Copy the key'}
              </Button>
            )}
          </CopyButton>
          <Divider label="Try it" labelPosition="left" />
          <UsageSnippets apiKey={created.key} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="created-key-done">
              I have copied the key
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
