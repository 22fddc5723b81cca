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
    const label = kindLabel(next.kind);
    if (next.status === 'succeeded') {
      notifications.show({ color: 'teal', title: `${label} ready`, message: 'It is in your gallery.' });
    } else if (next.status === 'failed') {
      notifications.show({
        color: 'red',
        title: `${label} failed`,
        message: next.error ?? 'The model gave up.',
      });
    }
  }, [next, active, output.status, output.progress, client]);
}

export function JobProgress({ output }: { output: StudioOutput }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const known = output.progress !== null;
  const percent = output.progress !== null ? percentOf(output.progress) : 100;
  const state =
    output.status === 'queued' ? 'Waiting to start…' : known ? `Working… ${percent}%` : 'Working…';

  const cancel = async () => {
    const cancelled = await cancelOutput(output.id);
    client.setQueryData(outputKey(output.id), cancelled);
    updateInGallery(client, cancelled);
    void client.invalidateQueries({ queryKey: BALANCE_KEY });
    notifications.show({ color: 'teal', title: 'Cancelled', message: 'The job was stopped.' });
  };

  return (
    <Stack gap={6}>
      <Progress
        value={percent}
        striped
        animated
        size="lg"
        aria-label={`${kindLabel(output.kind)} progress`}
        data-testid="job-progress"
        data-progress={known ? percent : undefined}
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {state}
        </Text>
        <Button size="xs" variant="default" onClick={() => setConfirming(true)} data-testid="output-cancel">
          Cancel
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Cancel this job?"
        confirmLabel="Cancel the job"
        onConfirm={cancel}
        testId="cancel-output-modal"
      >
        The model stops working on it and the output will not be made. A cancelled job is not charged.
      </ConfirmModal>
    </Stack>
  );
}
