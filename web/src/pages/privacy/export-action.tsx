/** An access request's archive: a download button while it can be fetched, then the day it expired. */
import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { useI18n } from '../../i18n';
import { downloadExport, PRIVACY_REQUESTS_KEY, type PrivacyRequest } from './privacy-api';

export function ExportAction({ request }: { request: PrivacyRequest }) {
  const { t, formatDate } = useI18n();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const archive = request.export;
  if (!archive) return null;
  if (!archive.url) {
    return (
      <Text size="sm" c="dimmed" data-testid="export-expired">
        {t('privacy.exportExpired', { date: formatDate(archive.expiresAt) })}
      </Text>
    );
  }
  const url = archive.url;

  const download = async () => {
    setBusy(true);
    try {
      await downloadExport(url);
    } catch (error) {
      const expired = error instanceof ApiError && error.status === 410;
      notifications.show({
        color: 'red',
        title: t('privacy.downloadFailed'),
        message: expired ? t('privacy.exportGone') : errorMessage(error),
      });
      if (expired) await client.invalidateQueries({ queryKey: PRIVACY_REQUESTS_KEY });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4} align="flex-start">
      <Button
        size="xs"
        variant="light"
        leftSection={<IconDownload size={14} />}
        loading={busy}
        onClick={download}
        data-testid="export-download"
      >
        {t('privacy.download')}
      </Button>
      <Text size="xs" c="dimmed">
        {t('privacy.availableUntil', { date: formatDate(archive.expiresAt) })}
      </Text>
    </Stack>
  );
}
