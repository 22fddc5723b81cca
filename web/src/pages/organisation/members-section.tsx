import { Card, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { formatMoney } from '../../components/money';
import { EmptyState } from '../../components/states';
import { MemberEditModal } from './member-edit-modal';
import { type MemberActionKind, MemberCard, MemberRow } from './member-row';
import { ORGANISATIONS_KEY, type OrganisationDetails, type OrganisationMember } from './organisation-api';
import { canManageRole } from './organisation-roles';

type Action = { kind: MemberActionKind; member: OrganisationMember };

interface Props {
  organisation: OrganisationDetails;
  selfId: string;
  currency?: string;
}

export function MembersSection({ organisation, selfId, currency }: Props) {
  const client = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const actor = organisation.role;
  const phone = useMediaQuery('(max-width: 40em)', false, { getInitialValueInEffect: false });
  const money = (amount: string) => formatMoney(amount, currency);

  const actionsFor = (member: OrganisationMember) => {
    const self = member.userId === selfId;
    return {
      edit: actor === 'owner' || canManageRole(actor, member.role),
      remove: !self && canManageRole(actor, member.role),
      transfer: actor === 'owner' && !self,
    };
  };
  const rowProps = (member: OrganisationMember) => ({
    member,
    isSelf: member.userId === selfId,
    allowed: actionsFor(member),
    money,
    onAction: (kind: MemberActionKind) => setAction({ kind, member }),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ORGANISATIONS_KEY });
  const close = () => setAction(null);

  return (
    <Card withBorder padding="lg" data-testid="organisation-members">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Members
          </Title>
          <Text size="sm" c="dimmed">
            Everyone here can spend the shared balance through their API keys, up to their spend limit.
          </Text>
        </div>
        {organisation.members.length === 0 && <EmptyState title="No members" />}
        {organisation.members.length > 0 && phone && (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {organisation.members.map((member) => (
              <MemberCard key={member.userId} {...rowProps(member)} />
            ))}
          </Stack>
        )}
        {organisation.members.length > 0 && !phone && (
          <Table.ScrollContainer minWidth={620}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Spend limit</Table.Th>
                  <Table.Th>Joined</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {organisation.members.map((member) => (
                  <MemberRow key={member.userId} {...rowProps(member)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <MemberEditModal
        organisationId={organisation.id}
        actorRole={actor}
        member={action?.kind === 'edit' ? action.member : null}
        currency={currency}
        onClose={close}
      />
      <ConfirmModal
        opened={action?.kind === 'remove'}
        onClose={close}
        title={`Remove ${action?.member.username ?? 'this member'}?`}
        confirmLabel="Remove"
        testId="member-remove-modal"
        onConfirm={async () => {
          if (!action) return;
          const reply = await api<{ revokedKeys: number }>(
            `/api/organisations/${organisation.id}/members/${action.member.userId}`,
            { method: 'DELETE' },
          );
          notifications.show({
            title: 'Member removed',
            message: `${action.member.username} left ${organisation.name}; ${reply.revokedKeys} API ${reply.revokedKeys === 1 ? 'key was' : 'keys were'} revoked.`,
          });
          await refresh();
        }}
      >
        They lose access to the shared balance at once, and their API keys for this organisation stop working.
      </ConfirmModal>
      <ConfirmModal
        opened={action?.kind === 'transfer'}
        onClose={close}
        title={`Make ${action?.member.username ?? 'this member'} the owner?`}
        confirmLabel="Transfer ownership"
        testId="transfer-ownership-modal"
        onConfirm={async () => {
          if (!action) return;
          await api(`/api/organisations/${organisation.id}/transfer-ownership`, {
            json: { userId: action.member.userId },
          });
          notifications.show({
            color: 'green',
            title: 'Ownership transferred',
            message: `${action.member.username} now owns ${organisation.name}. You are an admin.`,
          });
          await refresh();
        }}
      >
        An organisation has one owner. You will become an admin and cannot undo this yourself: only the new
        owner can give ownership back.
      </ConfirmModal>
    </Card>
  );
}
