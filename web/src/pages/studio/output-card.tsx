/** One output in the gallery: its media or job state, what made it, its cost, and its actions. */
import { ActionIcon, Alert, Badge, Button, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconFlag, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { AiLabel } from '../../components/ai-label';
import { formatMoney } from '../../components/money';
import { ReportOutputModal } from '../../components/report-output-modal';
import { JobProgress, useJobPolling } from './job-progress';
import { type MediaFile, OutputMedia } from './output-media';
import { downloadUrl, isActive, type OutputStatus, type StudioOutput } from './studio-api';
import { kindLabel } from './studio-kinds';

const STATUS: Record<OutputStatus, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Ready', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
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
  const [reporting, setReporting] = useState<string | null>(null);
  const active = isActive(output);
  const files: MediaFile[] = output.files.map((file) => ({ ...file, downloadHref: downloadUrl(file.url) }));
  const cost =
    output.cost !== null ? formatMoney(output.cost, currency) : active ? 'when it finishes' : 'not charged';

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
              {kindLabel(output.kind)}
            </Badge>
            {output.status !== 'succeeded' && (
              <Badge
                size="sm"
                variant="light"
                color={STATUS[output.status].color}
                data-testid="output-status"
              >
                {STATUS[output.status].label}
              </Badge>
            )}
            <AiLabel />
          </Group>
          <Group gap={0} wrap="nowrap">
            {output.generationId && (
              <Tooltip label="Report this output" withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  onClick={() => setReporting(output.generationId)}
                  aria-label="Report this output"
                  data-testid="output-report"
                >
                  <IconFlag size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label="Delete" withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => onDelete(output)}
                aria-label="Delete this output"
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
            <Text size="sm">{output.error ?? 'The model could not make this output.'}</Text>
          </Alert>
        )}
        {output.status === 'cancelled' && (
          <Text size="sm" c="dimmed">
            Cancelled before it finished.
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
                {files.length > 1 ? `Download ${index + 1}` : 'Download'}
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
  const rows: Array<[string, ReactNode]> = [
    [
      'Model',
      <span key="model" style={{ wordBreak: 'break-all' }}>
        {model}
      </span>,
    ],
    ['Provider', provider ?? '—'],
    ['Cost', cost],
    ['Made', new Date(createdAt).toLocaleString()],
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
