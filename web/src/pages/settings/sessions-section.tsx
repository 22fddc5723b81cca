import { Badge, Button, Card, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n, useT } from '../../i18n';
import { type AccountSession, SESSIONS_KEY, useAccountSessions } from './settings-api';
import { describeUserAgent } from './user-agent';

/** "Germany" for DE, in the reader's language; the code itself when the browser knows no name. */
function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function SessionItem({ session, onRevoke }: { session: AccountSession; onRevoke: () => void }) {
  const { t, formatDateTime, locale } = useI18n();
  return (
    <Paper withBorder p="sm" data-testid="session-item" data-current={session.current || undefined}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <Tooltip label={session.userAgent ?? t('settings.noUserAgent')} multiline maw={320} withArrow>
              <Text fw={600} size="sm" tabIndex={0}>
                {describeUserAgent(session.userAgent, t)}
              </Text>
            </Tooltip>
            {session.current && (
              <Badge size="sm" variant="light" color="green">
                {t('settings.thisDevice')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {t('settings.ipAddress', { ip: session.ip ?? t('settings.unknown') })}
            {session.country && ` · ${countryName(session.country, locale)}`}
          </Text>
          <Text size="xs" c="dimmed">
            {t('settings.lastActive', {
              lastSeen: formatDateTime(session.lastSeenAt),
              signedIn: formatDateTime(session.createdAt),
            })}
          </Text>
        </Stack>
        {!session.current && (
          <Button size="xs" variant="light" color="red" onClick={onRevoke} data-testid="session-revoke">
            {t('settings.signOut')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

export function SessionsSection() {
  const t = useT();
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
              {t('settings.sessionsTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('settings.sessionsIntro')}
            </Text>
          </div>
          <Button
            variant="light"
            color="red"
            disabled={others === 0}
            onClick={() => setRevokingOthers(true)}
            data-testid="sessions-revoke-others"
          >
            {t('settings.signOutOthers')}
          </Button>
        </Group>
        {sessions.isPending && <Loading />}
        {sessions.isError && <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />}
        {sessions.data?.length === 0 && <EmptyState title={t('settings.noSessions')} />}
        {sessions.data?.map((session) => (
          <SessionItem key={session.id} session={session} onRevoke={() => setRevoking(session)} />
        ))}
      </Stack>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('settings.signOutDeviceTitle')}
        confirmLabel={t('settings.signOut')}
        testId="session-revoke-modal"
        onConfirm={async () => {
          if (!revoking) return;
          await api(`/api/account/sessions/${revoking.id}`, { method: 'DELETE' });
          notifications.show({
            title: t('settings.signedOut'),
            message: t('settings.deviceSignedOut', { device: describeUserAgent(revoking.userAgent, t) }),
          });
          await refresh();
        }}
      >
        {t('settings.signInAgain', {
          device: describeUserAgent(revoking?.userAgent ?? null, t),
          ip: revoking?.ip ?? t('settings.unknownIp'),
        })}
      </ConfirmModal>
      <ConfirmModal
        opened={revokingOthers}
        onClose={() => setRevokingOthers(false)}
        title={t('settings.signOutOthersTitle')}
        confirmLabel={t('settings.signOutOthersConfirm')}
        testId="sessions-revoke-others-modal"
        onConfirm={async () => {
          const reply = await api<{ count: number }>('/api/account/sessions/revoke-others', {
            method: 'POST',
          });
          notifications.show({
            title: t('settings.othersSignedOut'),
            message: t('settings.sessionsEnded', { count: reply.count }),
          });
          await refresh();
        }}
      >
        {t('settings.othersSignInAgain')}
      </ConfirmModal>
    </Card>
  );
}
