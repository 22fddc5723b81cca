/**
 * Where the invitation e-mail's link lands (/invitations/accept?token=…). The app layout has
 * already made the visitor sign in; accepting is one deliberate click, then the organisation opens.
 */
import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, errorMessage } from '../../api/client';
import { useSession, useSessionUpdater } from '../../api/session';
import { useI18n } from '../../i18n';
import { ORGANISATIONS_KEY } from './organisation-api';
import { roleLabel } from './organisation-roles';

export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { signedOut } = useSessionUpdater();
  const { t, rich } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; otherAddress: boolean } | null>(null);
  const email = session.data?.user.email ?? '';

  const accept = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const joined = await api<{ organisationId: string; role: string }>(
        '/api/organisations/invitations/accept',
        {
          json: { token },
        },
      );
      await client.invalidateQueries({ queryKey: ORGANISATIONS_KEY });
      notifications.show({
        color: 'green',
        title: t('organisation.welcome'),
        message: t('organisation.joinedAs', { role: roleLabel(joined.role, t) }),
      });
      navigate(`/organisation?id=${encodeURIComponent(joined.organisationId)}`, { replace: true });
    } catch (error) {
      setBusy(false);
      setProblem({
        message: errorMessage(error),
        otherAddress: error instanceof ApiError && error.code === 'forbidden',
      });
    }
  };

  const switchAccount = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      await signedOut();
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
  };

  return (
    <Stack maw={560} data-testid="accept-invitation-page">
      <Title order={1} size="h2">
        {t('organisation.joinTitle')}
      </Title>
      {!token ? (
        <Alert color="red" title={t('organisation.linkIncomplete')} data-testid="invitation-missing-token">
          {t('organisation.linkIncompleteText')}
        </Alert>
      ) : (
        <Card withBorder padding="lg">
          <Stack>
            <Text size="sm">{t('organisation.invitedText')}</Text>
            <Text size="sm" c="dimmed">
              {rich('organisation.signedInAs', {
                email: (
                  <Text
                    span
                    inherit
                    fw={500}
                    style={{ wordBreak: 'break-all' }}
                    data-testid="invitation-signed-in-as"
                  >
                    {email}
                  </Text>
                ),
              })}
            </Text>
            {problem && (
              <Alert color="red" role="alert" data-testid="invitation-error">
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{problem.message}</Text>
                  {problem.otherAddress && (
                    <Button size="xs" variant="light" color="red" onClick={switchAccount}>
                      {t('organisation.otherAccount')}
                    </Button>
                  )}
                </Stack>
              </Alert>
            )}
            <Group gap="xs">
              <Button onClick={accept} loading={busy} data-testid="invitation-accept">
                {t('organisation.accept')}
              </Button>
              <Anchor component={Link} to="/organisation" size="sm">
                {t('organisation.notNow')}
              </Anchor>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
