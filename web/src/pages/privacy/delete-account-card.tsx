/**
 * "Delete my account and data" (Art. 17): what goes, what is kept and why, then the e-mail address
 * typed out and the password. The server ends every session at once, so the app signs out and
 * shows the result on a page that needs none.
 */
import { Button, Card, List, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useSessionUpdater } from '../../api/session';
import { useT } from '../../i18n';
import type { AccountDeletedState } from './account-deleted-page';
import { PasswordModal } from './password-modal';
import { createPrivacyRequest } from './privacy-api';

export function DeleteAccountCard({ email }: { email: string }) {
  const t = useT();
  const navigate = useNavigate();
  const { signedOut } = useSessionUpdater();
  const [asking, { open, close }] = useDisclosure(false);

  const erase = async (password: string) => {
    const request = await createPrivacyRequest({ type: 'erasure', password });
    const state: AccountDeletedState = { receivedAt: request.receivedAt, dueAt: request.dueAt };
    // Leave the signed-in pages first: with the session gone they would send the visitor to log in.
    navigate('/privacy/account-deleted', { replace: true, state });
    await signedOut();
  };

  return (
    <Card
      withBorder
      padding="lg"
      style={{ borderColor: 'var(--mantine-color-red-filled)' }}
      data-testid="privacy-delete"
    >
      <Stack gap="sm" align="flex-start">
        <Title order={2} size="h4" c="red">
          {t('privacy.deleteTitle')}
        </Title>
        <Text size="sm">{t('privacy.deleteWhat')}</Text>
        <div>
          <Text size="sm" fw={600}>
            {t('privacy.deleteKeptTitle')}
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>{t('privacy.deleteKeptBilling')}</List.Item>
            <List.Item>{t('privacy.deleteKeptLegal')}</List.Item>
            <List.Item>{t('privacy.deleteKeptSecurity')}</List.Item>
          </List>
        </div>
        <Text size="sm">{t('privacy.deleteHow')}</Text>
        <Text size="sm" fw={600}>
          {t('privacy.deleteFinal')}
        </Text>
        {/* Shade 9: white text on the theme's red (shade 7) is below WCAG AA's 4.5:1. */}
        <Button color="red.9" leftSection={<IconTrash size={16} />} onClick={open} data-testid="delete-open">
          {t('privacy.deleteButton')}
        </Button>
      </Stack>
      <PasswordModal
        opened={asking}
        onClose={close}
        title={t('privacy.deleteModalTitle')}
        confirmLabel={t('privacy.deleteModalConfirm')}
        color="red.9"
        typedConfirmation={email}
        onSubmit={erase}
        testId="delete-modal"
      >
        <Text size="sm">{t('privacy.deleteModalText')}</Text>
      </PasswordModal>
    </Card>
  );
}
