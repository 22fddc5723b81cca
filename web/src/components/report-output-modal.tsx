import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';

const REASONS = [
  { value: 'illegal', label: 'Illegal content' },
  { value: 'harmful', label: 'Harmful or abusive' },
  { value: 'inaccurate', label: 'Inaccurate or misleading' },
  { value: 'privacy', label: 'Reveals personal data' },
  { value: 'other', label: 'Something else' },
];

/** "Report this output": goes to the operator's abuse queue with the generation's id. */
export function ReportOutputModal({
  generationId,
  onClose,
}: {
  generationId: string | null;
  onClose(): void;
}) {
  const [reason, setReason] = useState<string | null>('harmful');
  const [details, setDetails] = useState('');
  const [sending, setSending] = useState(false);
  const send = async () => {
    if (!generationId || !reason) return;
    setSending(true);
    try {
      await api('/api/reports', {
        json: { generationId, reason, ...(details.trim() && { details: details.trim() }) },
      });
      notifications.show({ color: 'green', message: 'Thank you. The operator will review this output.' });
      setDetails('');
      onClose();
    } catch (error) {
      notifications.show({ color: 'red', title: 'The report was not sent', message: errorMessage(error) });
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal opened={generationId !== null} onClose={onClose} title="Report this output">
      <Stack>
        <Text size="sm" c="dimmed">
          Tell the operator what is wrong with this answer. They see the report with the generation it refers
          to.
        </Text>
        <Select label="Reason" data={REASONS} value={reason} onChange={setReason} allowDeselect={false} />
        <Textarea
          label="Details"
          description="Optional"
          autosize
          minRows={3}
          maxLength={2000}
          value={details}
          onChange={(event) => setDetails(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={sending} onClick={send} data-testid="send-report">
            Send report
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
