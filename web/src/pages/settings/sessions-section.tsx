import { Badge, Button, Card, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { type AccountSession, SESSIONS_KEY, useAccountSessions } from './settings-api';
import { describeUserAgent } from './user-agent';

function SessionItem({ session, onRevoke }: { session: AccountSession; onRevoke: () => void }) {
  return (
    <Paper withBorder p="sm" data-testid="session-item" data-current={session.current || undefined}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <Tooltip label={session.userAgent ?? 'No user agent was sent'} multiline maw={320} withArrow>
              <Text fw={600} size="sm" tabIndex={0}>
                {describeUserAgent(session.userAgent)}
              </Text>
            </Tooltip>
            {session.current && (
              <Badge size="sm" variant="light" color="green">
                This device
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            IP address {session.ip ?? 'unknown'}
          </Text>
          <Text size="xs" c="dimmed">
            Last active {new Date(session.lastSeenAt).toLocaleString()} · signed in{' '}
            {new Date(session.createdAt).toLocaleString()}
          </Text>
        </Stack>
        {!session.current && (
          <Button size="xs" variant="light" color="red" onClick={onRevoke} data-testid="session-revoke">
            Sign out
          </Button>
        )}
      </Group>
    </Paper>
  );
}

export function SessionsSection() {
  const client = useQueryClient();
  const sessions = useAccountSessions();
  const [revoking, setRevoking] = useState<AccountSession | null>(null);
  const [revokingOthers, setRevokingOthers] = useState(false);
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  const refresh = () => client.invalidateQueries({ queryKey: SESSIONS_KEY });

  return (
    <Card withBorder padding="lg" data-testid="settings-sessions">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4">
              Where you are signed in
            </Title>
            <Text size="sm" c="dimmed">
              Sign out any device you do not recognise, then change your password.
            </Text>
          </div>
          <Button
            variant="light"
            color="red"
            disabled={others === 0}
            onClick={() => setRevokingOthers(true)}
            data-testid="sessions-revoke-others"
          >
            Sign out all other devices
          </Button>
        </Group>
        {sessions.isPending && <Loading />}
        {sessions.isError && <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />}
        {sessions.data?.length === 0 && <EmptyState title="No active sessions" />}
        {sessions.data?.map((session) => (
          <SessionItem key={session.id} session={session} onRevoke={() => setRevoking(session)} />
        ))}
      </Stack>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Sign out this device?"
        confirmLabel="Sign out"
        testId="session-revoke-modal"
        onConfirm={async () => {
          if (!revoking) return;
          await api(`/api/account/sessions/${revoking.id}`, { method: 'DELETE' });
          notifications.show({
            title: 'Signed out',
            message: `${describeUserAgent(revoking.userAgent)} was signed out.`,
          });
          await refresh();
        }}
      >
        {`${describeUserAgent(revoking?.userAgent ?? null)} (${revoking?.ip ?? 'unknown IP address'}) will need to sign in again.`}
      </ConfirmModal>
      <ConfirmModal
        opened={revokingOthers}
        onClose={() => setRevokingOthers(false)}
        title="Sign out all other devices?"
        confirmLabel="Sign out others"
        testId="sessions-revoke-others-modal"
        onConfirm={async () => {
          const reply = await api<{ count: number }>('/api/account/sessions/revoke-others', {
            method: 'POST',
          });
          notifications.show({
            title: 'Other devices signed out',
            message: `${reply.count} ${reply.count === 1 ? 'session was' : 'sessions were'} ended. This device stays signed in.`,
          });
          await refresh();
        }}
      >
        Every device except this one will need to sign in again.
      </ConfirmModal>
    </Card>
  );
}
