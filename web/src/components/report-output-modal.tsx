import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { type MessageKey, useT } from '../i18n';

const REASONS: ReadonlyArray<{ value: string; label: MessageKey }> = [
  { value: 'illegal', label: 'common.reportReasonIllegal' },
  { value: 'harmful', label: 'common.reportReasonHarmful' },
  { value: 'inaccurate', label: 'common.reportReasonInaccurate' },
  { value: 'privacy', label: 'common.reportReasonPrivacy' },
  { value: 'other', label: 'common.reportReasonOther' },
];

/** "Report this output": goes to the operator's abuse queue with the generation's id. */
export function ReportOutputModal({
  generationId,
  onClose,
}: {
  generationId: string | null;
  onClose(): void;
}) {
  const t = useT();
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
      notifications.show({ color: 'green', message: t('common.reportSent') });
      setDetails('');
      onClose();
    } catch (error) {
      notifications.show({ color: 'red', title: t('common.reportNotSent'), message: errorMessage(error) });
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal opened={generationId !== null} onClose={onClose} title={t('common.reportTitle')}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('common.reportIntro')}
        </Text>
        <Select
          label={t('common.reportReason')}
          data={REASONS.map(({ value, label }) => ({ value, label: t(label) }))}
          value={reason}
          onChange={setReason}
          allowDeselect={false}
        />
        <Textarea
          label={t('common.reportDetails')}
          description={t('common.optional')}
          autosize
          minRows={3}
          maxLength={2000}
          value={details}
          onChange={(event) => setDetails(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={sending} onClick={send} data-testid="send-report">
            {t('common.reportSend')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
