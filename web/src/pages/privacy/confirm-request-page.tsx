/**
 * The link mailed for a privacy request staff entered (?token=…): confirming it proves the request
 * comes from the account holder, and it starts. Needs no session (the mail may be read anywhere).
 * Unlike the e-mail confirmation it waits for a click: the request may be an erasure, and a mail
 * scanner that opens links must not be able to confirm one.
 */
import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { SESSION_KEY } from '../../api/session';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { privacy } from '../../i18n/messages/en/privacy';
import { confirmPrivacyRequest, type PrivacyRequest } from './privacy-api';
import { typeLabel } from './request-labels';

// Its words are the privacy page's, shipped with the page rather than with the app.
addEnglishArea('privacy', privacy);

type State =
  | { step: 'asking' }
  | { step: 'working' }
  | { step: 'confirmed'; request: PrivacyRequest }
  | { step: 'failed'; problem: string };

export function ConfirmRequestPage() {
  const { t, formatDate } = useI18n();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [state, setState] = useState<State>(
    token ? { step: 'asking' } : { step: 'failed', problem: t('privacy.confirmIncomplete') },
  );

  const confirm = async () => {
    if (!token) return;
    setState({ step: 'working' });
    try {
      const request = await confirmPrivacyRequest(token);
      setState({ step: 'confirmed', request });
      // A confirmed erasure ends the account's sessions, perhaps this browser's.
      if (request.type === 'erasure') await client.invalidateQueries({ queryKey: SESSION_KEY });
    } catch (error) {
      const invalid = error instanceof ApiError && error.code === 'invalid_request';
      setState({ step: 'failed', problem: invalid ? t('privacy.confirmInvalid') : errorMessage(error) });
    }
  };

  if (state.step === 'confirmed') {
    const { request } = state;
    return (
      <Stack data-testid="confirm-request-done">
        <Title order={2} size="h3">
          {t('privacy.confirmedTitle')}
        </Title>
        <Text>
          {t('privacy.confirmedText', { type: typeLabel(request.type, t), due: formatDate(request.dueAt) })}
        </Text>
        {request.type === 'erasure' ? (
          <Text size="sm">{t('privacy.confirmedErasure')}</Text>
        ) : (
          <Button component={Link} to="/privacy" variant="default">
            {t('privacy.toPrivacyPage')}
          </Button>
        )}
      </Stack>
    );
  }
  if (state.step === 'failed') {
    return (
      <Stack data-testid="confirm-request-failed">
        <Title order={2} size="h3">
          {t('privacy.confirmFailedTitle')}
        </Title>
        <Alert color="red" role="alert">
          {state.problem}
        </Alert>
        <Text size="sm">{t('privacy.confirmFailedText')}</Text>
      </Stack>
    );
  }
  return (
    <Stack data-testid="confirm-request">
      <Title order={2} size="h3">
        {t('privacy.confirmTitle')}
      </Title>
      <Text>{t('privacy.confirmText')}</Text>
      <Text size="sm" c="dimmed">
        {t('privacy.confirmNotYou')}
      </Text>
      <Button onClick={confirm} loading={state.step === 'working'} data-testid="confirm-request-button">
        {t('privacy.confirmButton')}
      </Button>
    </Stack>
  );
}
