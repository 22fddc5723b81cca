/**
 * Shown after the account holder asked for their erasure: the account is locked and signed out,
 * the erasure job deletes the data. Signed out by then, so it lives beside the log-in page.
 */
import { Button, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { privacy } from '../../i18n/messages/en/privacy';

// Its words are the privacy page's, shipped with the page rather than with the app.
addEnglishArea('privacy', privacy);

/** What the privacy page passes in the navigation state; absent when the page is opened directly. */
export interface AccountDeletedState {
  receivedAt: string;
  dueAt: string;
}

function stateOf(value: unknown): AccountDeletedState | null {
  const state = value as Partial<AccountDeletedState> | null;
  return typeof state?.receivedAt === 'string' && typeof state.dueAt === 'string'
    ? { receivedAt: state.receivedAt, dueAt: state.dueAt }
    : null;
}

export function AccountDeletedPage() {
  const { t, formatDate } = useI18n();
  const state = stateOf(useLocation().state);
  return (
    <Stack data-testid="account-deleted">
      <Title order={2} size="h3">
        {t('privacy.deletedTitle')}
      </Title>
      <Text>{t('privacy.deletedText')}</Text>
      {state && (
        <Text size="sm">
          {t('privacy.deletedDates', {
            received: formatDate(state.receivedAt),
            due: formatDate(state.dueAt),
          })}
        </Text>
      )}
      <Text size="sm" c="dimmed">
        {t('privacy.deletedReceipt')}
      </Text>
      <Button component={Link} to="/login" variant="default">
        {t('privacy.toLogIn')}
      </Button>
    </Stack>
  );
}
