/** One output in the gallery: its media or job state, what made it, its cost, and its actions. */
import { ActionIcon, Alert, Badge, Button, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconFlag, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { AiLabel } from '../../components/ai-label';
import { formatMoney } from '../../components/money';
import { ReportOutputModal } from '../../components/report-output-modal';
import { type MessageKey, useI18n, useT } from '../../i18n';
import { JobProgress, useJobPolling } from './job-progress';
import { type MediaFile, OutputMedia } from './output-media';
import { downloadUrl, isActive, type OutputStatus, type StudioOutput } from './studio-api';
import { kindLabel } from './studio-kinds';

const STATUS: Record<OutputStatus, { label: MessageKey; color: string }> = {
  queued: { label: 'studio.statusQueued', color: 'gray' },
  running: { label: 'studio.statusRunning', color: 'blue' },
  succeeded: { label: 'studio.statusReady', color: 'teal' },
  failed: { label: 'studio.statusFailed', color: 'red' },
  cancelled: { label: 'studio.statusCancelled', color: 'gray' },
};

export function OutputCard({
  output,
  currency,
  onDelete,
}: {
  output: StudioOutput;
  currency: string | undefined;
  onDelete: (output: StudioOutput) => void;
}) {
  useJobPolling(output);
  const t = useT();
  const [reporting, setReporting] = useState<string | null>(null);
  const active = isActive(output);
  const files: MediaFile[] = output.files.map((file) => ({ ...file, downloadHref: downloadUrl(file.url) }));
  const cost =
    output.cost !== null
      ? formatMoney(output.cost, currency)
      : t(active ? 'studio.costWhenFinished' : 'studio.costNotCharged');

  return (
    <Card
      withBorder
      padding="sm"
      data-testid="gallery-item"
      data-kind={output.kind}
      data-status={output.status}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Group gap={6}>
            <Badge size="sm" variant="outline">
              {kindLabel(output.kind, t)}
            </Badge>
            {output.status !== 'succeeded' && (
              <Badge
                size="sm"
                variant="light"
                color={STATUS[output.status].color}
                data-testid="output-status"
              >
                {t(STATUS[output.status].label)}
              </Badge>
            )}
            <AiLabel />
          </Group>
          <Group gap={0} wrap="nowrap">
            {output.generationId && (
              <Tooltip label={t('common.reportTitle')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  onClick={() => setReporting(output.generationId)}
                  aria-label={t('common.reportTitle')}
                  data-testid="output-report"
                >
                  <IconFlag size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label={t('studio.delete')} withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => onDelete(output)}
                aria-label={t('studio.deleteOutput')}
                data-testid="output-delete"
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        {output.status === 'succeeded' && files.length > 0 && (
          <OutputMedia files={files} prompt={output.prompt} />
        )}
        {active && <JobProgress output={output} />}
        {output.status === 'failed' && (
          <Alert color="red" p="xs" data-testid="output-error">
            <Text size="sm">{output.error ?? t('studio.couldNotMake')}</Text>
          </Alert>
        )}
        {output.status === 'cancelled' && (
          <Text size="sm" c="dimmed">
            {t('studio.cancelledBefore')}
          </Text>
        )}

        <Text size="sm" lineClamp={3} title={output.prompt} style={{ overflowWrap: 'anywhere' }}>
          {output.prompt}
        </Text>
        <OutputFacts
          model={output.model}
          provider={output.provider}
          cost={<span data-testid="output-cost">{cost}</span>}
          createdAt={output.createdAt}
        />
        {files.length > 0 && output.status === 'succeeded' && (
          <Group gap="xs">
            {files.map((file, index) => (
              <Button
                key={file.url}
                component="a"
                href={file.downloadHref}
                download
                size="xs"
                variant="light"
                leftSection={<IconDownload size={14} />}
                data-testid="output-download"
              >
                {files.length > 1
                  ? t('studio.downloadNumbered', { number: index + 1 })
                  : t('studio.download')}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
      <ReportOutputModal generationId={reporting} onClose={() => setReporting(null)} />
    </Card>
  );
}

/** Model, provider, cost and date, as small label/value lines; also used for unsaved outputs. */
export function OutputFacts({
  model,
  provider,
  cost,
  createdAt,
}: {
  model: string;
  provider: string | null;
  cost: ReactNode;
  createdAt: string;
}) {
  const { t, formatDateTime } = useI18n();
  const rows: Array<[string, ReactNode]> = [
    [
      t('studio.factModel'),
      <span key="model" style={{ wordBreak: 'break-all' }}>
        {model}
      </span>,
    ],
    [t('studio.factProvider'), provider ?? '—'],
    [t('studio.factCost'), cost],
    [t('studio.factMade'), formatDateTime(createdAt)],
  ];
  return (
    <Stack gap={2}>
      {rows.map(([label, value]) => (
        <Group key={label} gap={6} wrap="nowrap" align="flex-start">
          <Text size="xs" c="dimmed" w={56} style={{ flexShrink: 0 }}>
            {label}
          </Text>
          <Text size="xs" style={{ minWidth: 0 }}>
            {value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
