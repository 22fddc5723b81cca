/**
 * Shown once the account holder closed their account: signed out by then, so it lives beside the
 * log-in page. The deletion date comes in the address (`?deletedAfter=`, ISO, set by
 * close-account-card.tsx), so a reload keeps it.
 */
import { Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { termination } from '../../i18n/messages/en/termination';

// Its words are the termination area's, shipped with the page rather than with the app.
addEnglishArea('termination', termination);

/** The date from the address, or null when it is absent or not a date (a hand-typed address). */
function dateOf(value: string | null): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? value : null;
}

export function AccountClosedPage() {
  const { t, rich, formatDate } = useI18n();
  const [params] = useSearchParams();
  const deletedAfter = dateOf(params.get('deletedAfter'));
  return (
    <Stack data-testid="account-closed">
      <Title order={2} size="h3">
        {t('termination.closedTitle')}
      </Title>
      <Text>{t('termination.closedText')}</Text>
      {deletedAfter && (
        <Text size="sm" data-testid="account-closed-deletion">
          {t('termination.closedDeletion', { date: formatDate(deletedAfter) })}
        </Text>
      )}
      <Text size="sm">
        {rich('termination.closedRefund', {
          policy: <Anchor href="/legal/refund-policy">{t('termination.refundPolicyLink')}</Anchor>,
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('termination.closedMail')}
      </Text>
      <Button component={Link} to="/login" variant="default">
        {t('termination.toLogIn')}
      </Button>
    </Stack>
  );
}
