/** The one output made while history is off: shown with its cost, downloadable, never kept. */
import { Alert, Button, Card, CloseButton, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { AiLabel } from '../../components/ai-label';
import { formatMoney } from '../../components/money';
import { useT } from '../../i18n';
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
  const t = useT();
  const files = output.files.map((file) => ({ ...file, downloadHref: file.url, downloadName: file.name }));
  return (
    <Card withBorder padding="sm" data-testid="unsaved-output">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6}>
            <Text fw={600} size="sm">
              {kindLabel(output.kind, t)}
            </Text>
            <AiLabel />
          </Group>
          <CloseButton onClick={onDismiss} aria-label={t('studio.dismissOutput')} />
        </Group>
        <Alert color="yellow" p="xs" icon={<IconInfoCircle size={16} />} data-testid="history-off-note">
          <Text size="sm">{t('studio.unsavedNote')}</Text>
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
              {output.cost ? formatMoney(output.cost, currency) : t('studio.costUnknown')}
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
              {files.length > 1 ? t('studio.downloadNumbered', { number: index + 1 }) : t('studio.download')}
            </Button>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
