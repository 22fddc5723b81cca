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
        title: 'Welcome aboard',
        message: `You joined the organisation as ${roleLabel(joined.role).toLowerCase()}.`,
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
        Join an organisation
      </Title>
      {!token ? (
        <Alert color="red" title="This link is incomplete" data-testid="invitation-missing-token">
          Open the link from the invitation e-mail again, or copy all of it into the address bar.
        </Alert>
      ) : (
        <Card withBorder padding="lg">
          <Stack>
            <Text size="sm">
              You were invited to join an organisation on Mixgate. As a member you can use its shared balance
              through API keys; your own balance stays yours.
            </Text>
            <Text size="sm" c="dimmed">
              Signed in as{' '}
              <Text
                span
                inherit
                fw={500}
                style={{ wordBreak: 'break-all' }}
                data-testid="invitation-signed-in-as"
              >
                {email}
              </Text>
              . The invitation works only for the address it was sent to.
            </Text>
            {problem && (
              <Alert color="red" role="alert" data-testid="invitation-error">
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{problem.message}</Text>
                  {problem.otherAddress && (
                    <Button size="xs" variant="light" color="red" onClick={switchAccount}>
                      Sign in with another account
                    </Button>
                  )}
                </Stack>
              </Alert>
            )}
            <Group gap="xs">
              <Button onClick={accept} loading={busy} data-testid="invitation-accept">
                Accept invitation
              </Button>
              <Anchor component={Link} to="/organisation" size="sm">
                Not now
              </Anchor>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
