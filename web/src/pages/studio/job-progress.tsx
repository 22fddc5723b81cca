/**
 * A job in the gallery: polled every 2 s while queued or running (so it survives a reload: the
 * gallery comes from the server), with its progress and a cancel button.
 */
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { BALANCE_KEY } from '../../api/billing';
import { ConfirmModal } from '../../components/confirm-modal';
import { useT } from '../../i18n';
import {
  cancelOutput,
  isActive,
  outputKey,
  readOutput,
  type StudioOutput,
  updateInGallery,
} from './studio-api';
import { kindLabel } from './studio-kinds';

const POLL_MS = 2_000;

/**
 * The server stores a provider's percent (0–100); the web contract spoke of a fraction (0–1).
 * Both read right here: a fraction is never a whole number below 1.
 */
export function percentOf(progress: number): number {
  const percent = progress < 1 && !Number.isInteger(progress) ? progress * 100 : progress;
  return Math.round(Math.min(100, Math.max(0, percent)));
}

/** Keeps an active output up to date in the gallery until it ends. */
export function useJobPolling(output: StudioOutput): void {
  const client = useQueryClient();
  const t = useT();
  const active = isActive(output);
  const poll = useQuery({
    queryKey: outputKey(output.id),
    queryFn: () => readOutput(output.id),
    enabled: active,
    refetchInterval: (query) => (query.state.status === 'error' ? false : POLL_MS),
  });
  const next = poll.data;

  useEffect(() => {
    if (!next || !active) return;
    if (next.status === output.status && next.progress === output.progress) return;
    updateInGallery(client, next);
    if (isActive(next)) return;
    void client.invalidateQueries({ queryKey: BALANCE_KEY });
    const kind = kindLabel(next.kind, t);
    if (next.status === 'succeeded') {
      notifications.show({
        color: 'teal',
        title: t('studio.kindReady', { kind }),
        message: t('studio.inGallery'),
      });
    } else if (next.status === 'failed') {
      notifications.show({
        color: 'red',
        title: t('studio.kindFailed', { kind }),
        message: next.error ?? t('studio.modelGaveUp'),
      });
    }
  }, [next, active, output.status, output.progress, client, t]);
}

export function JobProgress({ output }: { output: StudioOutput }) {
  const client = useQueryClient();
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const known = output.progress !== null;
  const percent = output.progress !== null ? percentOf(output.progress) : 100;
  const state =
    output.status === 'queued'
      ? t('studio.waitingToStart')
      : known
        ? t('studio.workingPercent', { percent })
        : t('studio.working');

  const cancel = async () => {
    const cancelled = await cancelOutput(output.id);
    client.setQueryData(outputKey(output.id), cancelled);
    updateInGallery(client, cancelled);
    void client.invalidateQueries({ queryKey: BALANCE_KEY });
    notifications.show({ color: 'teal', title: t('studio.cancelled'), message: t('studio.jobStopped') });
  };

  return (
    <Stack gap={6}>
      <Progress
        value={percent}
        striped
        animated
        size="lg"
        aria-label={t('studio.progressOf', { kind: kindLabel(output.kind, t) })}
        data-testid="job-progress"
        data-progress={known ? percent : undefined}
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {state}
        </Text>
        <Button size="xs" variant="default" onClick={() => setConfirming(true)} data-testid="output-cancel">
          {t('common.cancel')}
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('studio.cancelJobTitle')}
        confirmLabel={t('studio.cancelJob')}
        onConfirm={cancel}
        testId="cancel-output-modal"
      >
        {t('studio.cancelJobText')}
      </ConfirmModal>
    </Stack>
  );
}
