/** The one output made while history is off: shown with its cost, downloadable, never kept. */
import { Alert, Button, Card, CloseButton, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { AiLabel } from '../../components/ai-label';
import { formatMoney } from '../../components/money';
import { OutputFacts } from './output-card';
import { OutputMedia } from './output-media';
import { kindLabel } from './studio-kinds';
import type { UnsavedOutput } from './unsaved-generation';

export function UnsavedOutputCard({
  output,
  currency,
  onDismiss,
}: {
  output: UnsavedOutput;
  currency: string | undefined;
  onDismiss: () => void;
}) {
  const files = output.files.map((file) => ({ ...file, downloadHref: file.url, downloadName: file.name }));
  return (
    <Card withBorder padding="sm" data-testid="unsaved-output">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6}>
            <Text fw={600} size="sm">
              {kindLabel(output.kind)}
            </Text>
            <AiLabel />
          </Group>
          <CloseButton onClick={onDismiss} aria-label="Dismiss this output" />
        </Group>
        <Alert color="yellow" p="xs" icon={<IconInfoCircle size={16} />} data-testid="history-off-note">
          <Text size="sm">
            History is off: this output is not saved. Download it now to keep it; it disappears when you leave
            the page.
          </Text>
        </Alert>
        <OutputMedia files={files} prompt={output.prompt} />
        <Text size="sm" lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
          {output.prompt}
        </Text>
        <OutputFacts
          model={output.model}
          provider={null}
          cost={
            <span data-testid="output-cost">
              {output.cost ? formatMoney(output.cost, currency) : 'unknown'}
            </span>
          }
          createdAt={output.createdAt}
        />
        <Group gap="xs">
          {files.map((file, index) => (
            <Button
              key={file.url}
              component="a"
              href={file.url}
              download={file.name}
              size="xs"
              variant="light"
              leftSection={<IconDownload size={14} />}
              data-testid="output-download"
            >
              {files.length > 1 ? `Download ${index + 1}` : 'Download'}
            </Button>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
