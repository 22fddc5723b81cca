import { Badge, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { EmptyState } from '../../components/states';
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
  const [revoking, setRevoking] = useState<OrganisationInvitation | null>(null);

  return (
    <Card withBorder padding="lg" data-testid="organisation-invitations">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Invitations
          </Title>
          <Text size="sm" c="dimmed">
            We e-mail a link that works once, for 7 days, and only for the address you enter.
          </Text>
        </div>
        <InviteForm organisationId={organisationId} actorRole={actorRole} />
        <Title order={4} size="h5">
          Waiting for an answer
        </Title>
        {invitations.length === 0 ? (
          <EmptyState title="No pending invitations" />
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
                        {roleLabel(invitation.role)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      Sent {new Date(invitation.createdAt).toLocaleString()} · expires{' '}
                      {new Date(invitation.expiresAt).toLocaleString()}
                    </Text>
                  </Stack>
                  {canManageRole(actorRole, invitation.role) && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => setRevoking(invitation)}
                      aria-label={`Withdraw the invitation to ${invitation.email}`}
                      data-testid="invitation-revoke"
                    >
                      Withdraw
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
        title="Withdraw this invitation?"
        confirmLabel="Withdraw"
        testId="invitation-revoke-modal"
        onConfirm={async () => {
          if (!revoking) return;
          await api(`/api/organisations/${organisationId}/invitations/${revoking.id}`, { method: 'DELETE' });
          notifications.show({
            title: 'Invitation withdrawn',
            message: `The link sent to ${revoking.email} no longer works.`,
          });
          await client.invalidateQueries({ queryKey: organisationKey(organisationId) });
        }}
      >
        {`The link sent to ${revoking?.email ?? 'this address'} will stop working. You can invite them again later.`}
      </ConfirmModal>
    </Card>
  );
}
