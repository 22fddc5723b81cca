/** "Download my data" (Art. 15 and 20): ask for the archive, then fetch it once it is ready. */
import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconFileZip } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ExportAction } from './export-action';
import { PasswordModal } from './password-modal';
import { createPrivacyRequest, PRIVACY_REQUESTS_KEY, type PrivacyRequest } from './privacy-api';

/** `latest`: the newest access request, whose state the card shows; `pending` while the list loads. */
export function ExportCard({ latest, pending }: { latest: PrivacyRequest | undefined; pending: boolean }) {
  const { t, formatDate } = useI18n();
  const client = useQueryClient();
  const [asking, { open, close }] = useDisclosure(false);
  const preparing = latest?.status === 'in_progress' || latest?.status === 'awaiting_verification';

  const request = async (password: string) => {
    await createPrivacyRequest({ type: 'access', password });
    await client.invalidateQueries({ queryKey: PRIVACY_REQUESTS_KEY });
    notifications.show({
      color: 'teal',
      title: t('privacy.exportRequested'),
      message: t('privacy.exportRequestedText'),
    });
  };

  return (
    <Card withBorder padding="lg" data-testid="privacy-export">
      <Stack gap="sm" align="flex-start">
        <Title order={3} size="h5">
          {t('privacy.exportTitle')}
        </Title>
        <Text size="sm">{t('privacy.exportText')}</Text>
        {preparing && (
          <Text size="sm" c="dimmed" data-testid="export-preparing">
            {latest.status === 'awaiting_verification'
              ? t('privacy.awaitingConfirmation')
              : t('privacy.exportPreparing', { date: formatDate(latest.receivedAt) })}
          </Text>
        )}
        {latest?.status === 'completed' && <ExportAction request={latest} />}
        {!preparing && (
          <Button
            variant={latest?.export?.url ? 'default' : 'filled'}
            leftSection={<IconFileZip size={16} />}
            onClick={open}
            disabled={pending}
            data-testid="export-request"
          >
            {latest ? t('privacy.exportAgain') : t('privacy.exportRequest')}
          </Button>
        )}
      </Stack>
      <PasswordModal
        opened={asking}
        onClose={close}
        title={t('privacy.exportModalTitle')}
        confirmLabel={t('privacy.exportModalConfirm')}
        onSubmit={request}
        testId="export-modal"
      >
        <Text size="sm">{t('privacy.exportModalText')}</Text>
      </PasswordModal>
    </Card>
  );
}
