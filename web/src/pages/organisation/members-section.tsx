import { Card, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { formatMoney } from '../../components/money';
import { EmptyState } from '../../components/states';
import { useT } from '../../i18n';
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
  const t = useT();
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
            {t('organisation.members')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('organisation.membersIntro')}
          </Text>
        </div>
        {organisation.members.length === 0 && <EmptyState title={t('organisation.noMembers')} />}
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
                  <Table.Th>{t('organisation.member')}</Table.Th>
                  <Table.Th>{t('organisation.role')}</Table.Th>
                  <Table.Th>{t('organisation.spendLimit')}</Table.Th>
                  <Table.Th>{t('organisation.joined')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('organisation.actions')}</VisuallyHidden>
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
        title={t('organisation.removeTitle', {
          name: action?.member.username ?? t('organisation.thisMember'),
        })}
        confirmLabel={t('organisation.remove')}
        testId="member-remove-modal"
        onConfirm={async () => {
          if (!action) return;
          const reply = await api<{ revokedKeys: number }>(
            `/api/organisations/${organisation.id}/members/${action.member.userId}`,
            { method: 'DELETE' },
          );
          notifications.show({
            title: t('organisation.memberRemoved'),
            message: t('organisation.memberRemovedText', {
              name: action.member.username,
              organisation: organisation.name,
              count: reply.revokedKeys,
            }),
          });
          await refresh();
        }}
      >
        {t('organisation.removeText')}
      </ConfirmModal>
      <ConfirmModal
        opened={action?.kind === 'transfer'}
        onClose={close}
        title={t('organisation.transferTitle', {
          name: action?.member.username ?? t('organisation.thisMember'),
        })}
        confirmLabel={t('organisation.transferOwnership')}
        testId="transfer-ownership-modal"
        onConfirm={async () => {
          if (!action) return;
          await api(`/api/organisations/${organisation.id}/transfer-ownership`, {
            json: { userId: action.member.userId },
          });
          notifications.show({
            color: 'green',
            title: t('organisation.ownershipTransferred'),
            message: t('organisation.nowOwns', {
              name: action.member.username,
              organisation: organisation.name,
            }),
          });
          await refresh();
        }}
      >
        {t('organisation.transferText')}
      </ConfirmModal>
    </Card>
  );
}
