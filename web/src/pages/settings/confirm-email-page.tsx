import { Alert, Button, Loader, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../api/client';
import { SESSION_KEY } from '../../api/session';
import { addEnglishArea, useT } from '../../i18n';
import { settings } from '../../i18n/messages/en/settings';

// Its words are the settings page's, shipped with the page rather than with the app.
addEnglishArea('settings', settings);

type State =
  | { step: 'working' }
  | { step: 'changed'; email: string }
  | { step: 'failed'; problem: string | null };

/**
 * The link from the e-mail-change mail (?token=…): opening it moves the account to the new address.
 * It needs no session, since the mail may be read on another device.
 */
export function ConfirmEmailPage() {
  const t = useT();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const token = params.get('token');
  // No token: the link itself is broken, said in the reader's language (problem null); a problem
  // from the server arrives as its message.
  const [state, setState] = useState<State>(token ? { step: 'working' } : { step: 'failed', problem: null });
  const started = useRef(false);

  useEffect(() => {
    // Once: React's development double effects must not spend the single-use token twice.
    if (!token || started.current) return;
    started.current = true;
    api<{ email: string }>('/api/account/email/confirm', { json: { token } })
      .then(async ({ email }) => {
        setState({ step: 'changed', email });
        await client.invalidateQueries({ queryKey: SESSION_KEY });
      })
      .catch((error) => setState({ step: 'failed', problem: errorMessage(error) }));
  }, [token, client]);

  if (state.step === 'working') {
    return (
      <Stack align="center">
        <Loader size="sm" />
        <Text>{t('settings.changingEmail')}</Text>
      </Stack>
    );
  }
  if (state.step === 'changed') {
    return (
      <Stack data-testid="confirm-email-done">
        <Title order={2} size="h3">
          {t('settings.emailChanged')}
        </Title>
        <Text style={{ overflowWrap: 'anywhere' }}>{t('settings.nowUses', { email: state.email })}</Text>
        <Button component={Link} to="/settings?tab=profile">
          {t('settings.goToSettings')}
        </Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('settings.emailNotChanged')}
      </Title>
      <Alert color="red" role="alert">
        {state.problem ?? t('settings.linkIncomplete')}
      </Alert>
      <Text size="sm">{t('settings.askNewLink')}</Text>
      <Button component={Link} to="/settings?tab=profile" variant="default">
        {t('settings.goToSettings')}
      </Button>
    </Stack>
  );
}
