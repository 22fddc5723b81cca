import { Badge, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n';
import { InviteForm } from './invite-form';
import { type OrganisationInvitation, organisationKey } from './organisation-api';
import { canManageRole, roleColor, roleLabel } from './organisation-roles';

interface Props {
  organisationId: string;
  actorRole: string;
  invitations: OrganisationInvitation[];
}

/** Shown only to roles that manage members: the server sends invitations to no one else. */
export function InvitationsSection({ organisationId, actorRole, invitations }: Props) {
  const client = useQueryClient();
  const { t, formatDateTime } = useI18n();
  const [revoking, setRevoking] = useState<OrganisationInvitation | null>(null);

  return (
    <Card withBorder padding="lg" data-testid="organisation-invitations">
      <Stack>
        <div>
          <Title order={2} size="h4">
            {t('organisation.invitations')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('organisation.invitationsIntro')}
          </Text>
        </div>
        <InviteForm organisationId={organisationId} actorRole={actorRole} />
        <Title order={4} size="h5">
          {t('organisation.waitingForAnswer')}
        </Title>
        {invitations.length === 0 ? (
          <EmptyState title={t('organisation.noPendingInvitations')} />
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {invitations.map((invitation) => (
              <Paper key={invitation.id} withBorder p="sm" component="li" data-testid="invitation-row">
                <Group justify="space-between" align="center" gap="xs">
                  <Stack gap={2} style={{ minWidth: 0, flex: '1 1 200px' }}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                        {invitation.email}
                      </Text>
                      <Badge variant="light" color={roleColor(invitation.role)} style={{ flexShrink: 0 }}>
                        {roleLabel(invitation.role, t)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('organisation.sentAndExpires', {
                        sent: formatDateTime(invitation.createdAt),
                        expires: formatDateTime(invitation.expiresAt),
                      })}
                    </Text>
                  </Stack>
                  {canManageRole(actorRole, invitation.role) && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => setRevoking(invitation)}
                      aria-label={t('organisation.withdrawInvitationTo', { email: invitation.email })}
                      data-testid="invitation-revoke"
                    >
                      {t('organisation.withdraw')}
                    </Button>
                  )}
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('organisation.withdrawTitle')}
        confirmLabel={t('organisation.withdraw')}
        testId="invitation-revoke-modal"
        onConfirm={async () => {
          if (!revoking) return;
          await api(`/api/organisations/${organisationId}/invitations/${revoking.id}`, { method: 'DELETE' });
          notifications.show({
            title: t('organisation.withdrawn'),
            message: t('organisation.linkNoLongerWorks', { email: revoking.email }),
          });
          await client.invalidateQueries({ queryKey: organisationKey(organisationId) });
        }}
      >
        {t('organisation.withdrawText', { email: revoking?.email ?? t('organisation.thisAddress') })}
      </ConfirmModal>
    </Card>
  );
}
