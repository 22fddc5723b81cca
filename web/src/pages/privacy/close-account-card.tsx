/**
 * "Close my account": ending the contract, as opposed to erasing the data now (the card beside it).
 * Everything stops at once, the content is deleted after a grace period in which the operator can
 * reopen, and the remaining balance stays claimable under the refund policy. Only the password
 * confirms it: unlike erasure, a mistake can still be undone. The server ends every session, so
 * the app signs out and shows the deletion date on a page that needs none.
 */
import { Anchor, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDoorExit } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useBalance } from '../../api/billing';
import { useSessionUpdater } from '../../api/session';
import {
  CLOSURE_GRACE_DAYS,
  type ClosureReply,
  closeAccount,
  isOwnerOfSharedOrganisation,
} from '../../api/termination';
import { formatMoney } from '../../components/money';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { termination } from '../../i18n/messages/en/termination';
import { PasswordModal } from './password-modal';

addEnglishArea('termination', termination);

export function CloseAccountCard() {
  const { t, rich } = useI18n();
  const navigate = useNavigate();
  const { signedOut } = useSessionUpdater();
  const balance = useBalance();
  const [asking, { open, close }] = useDisclosure(false);
  const days = CLOSURE_GRACE_DAYS;

  const closeNow = async (password: string) => {
    let reply: ClosureReply;
    try {
      reply = await closeAccount(password);
    } catch (error) {
      // The server's words are English; this refusal has its own, with what to do about it.
      if (isOwnerOfSharedOrganisation(error)) throw new Error(t('termination.ownsOrganisationWithMembers'));
      throw error;
    }
    // Leave the signed-in pages first: with the session gone they would send the visitor to log in.
    navigate(`/account-closed?${new URLSearchParams({ deletedAfter: reply.contentDeletedAfter })}`, {
      replace: true,
    });
    await signedOut();
  };

  const refundPolicy = <Anchor href="/legal/refund-policy">{t('termination.refundPolicyLink')}</Anchor>;
  return (
    <Card withBorder padding="lg" data-testid="close-account">
      <Stack gap="sm" align="flex-start">
        <Title order={2} size="h4">
          {t('termination.closeAccountTitle')}
        </Title>
        <Text size="sm">{t('termination.closeAccountWhat')}</Text>
        <Text size="sm">{t('termination.closeAccountContent', { days })}</Text>
        <Text size="sm">
          {balance.data && (
            <>
              <span data-testid="close-account-balance">
                {t('termination.closeAccountBalance', {
                  amount: formatMoney(balance.data.balance, balance.data.currency),
                })}
              </span>{' '}
            </>
          )}
          {rich('termination.closeAccountRefund', { policy: refundPolicy })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('termination.closeAccountVersusDelete')}
        </Text>
        {/* Plain rather than red: unlike erasure, a closure can still be undone. */}
        <Button
          variant="default"
          leftSection={<IconDoorExit size={16} />}
          onClick={open}
          data-testid="close-account-open"
        >
          {t('termination.closeAccountButton')}
        </Button>
      </Stack>
      <PasswordModal
        opened={asking}
        onClose={close}
        title={t('termination.closeAccountModalTitle')}
        confirmLabel={t('termination.closeAccountModalConfirm')}
        color="red.9"
        onSubmit={closeNow}
        testId="close-account-modal"
      >
        <Text size="sm">{t('termination.closeAccountModalText', { days })}</Text>
      </PasswordModal>
    </Card>
  );
}
