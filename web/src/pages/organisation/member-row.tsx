import { ActionIcon, Badge, Group, Menu, Paper, Stack, Table, Text } from '@mantine/core';
import { IconCrown, IconDots, IconPencil, IconUserMinus } from '@tabler/icons-react';
import { useI18n, useT } from '../../i18n';
import { describeLimit, type OrganisationMember } from './organisation-api';
import { roleColor, roleLabel } from './organisation-roles';

export type MemberActionKind = 'edit' | 'remove' | 'transfer';

interface Props {
  member: OrganisationMember;
  isSelf: boolean;
  allowed: Record<MemberActionKind, boolean>;
  money: (amount: string) => string;
  onAction: (kind: MemberActionKind) => void;
}

function MemberActions({ member, allowed, onAction }: Pick<Props, 'member' | 'allowed' | 'onAction'>) {
  const t = useT();
  if (!allowed.edit && !allowed.remove && !allowed.transfer) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          aria-label={t('organisation.actionsFor', { name: member.username })}
          data-testid="member-actions"
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {allowed.edit && (
          <Menu.Item
            leftSection={<IconPencil size={16} />}
            onClick={() => onAction('edit')}
            data-testid="member-edit"
          >
            {t('organisation.changeRoleOrLimit')}
          </Menu.Item>
        )}
        {allowed.transfer && (
          <Menu.Item
            leftSection={<IconCrown size={16} />}
            onClick={() => onAction('transfer')}
            data-testid="member-transfer"
          >
            {t('organisation.makeOwner')}
          </Menu.Item>
        )}
        {allowed.remove && (
          <Menu.Item
            color="red"
            leftSection={<IconUserMinus size={16} />}
            onClick={() => onAction('remove')}
            data-testid="member-remove"
          >
            {t('organisation.removeFromOrganisation')}
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function Identity({ member, isSelf }: Pick<Props, 'member' | 'isSelf'>) {
  const t = useT();
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
        {member.username}
        {isSelf && (
          <Text span size="xs" c="dimmed">
            {' '}
            {t('organisation.you')}
          </Text>
        )}
      </Text>
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
        {member.email}
      </Text>
    </div>
  );
}

function RoleBadge({ role }: { role: string }) {
  const t = useT();
  return (
    <Badge variant="light" color={roleColor(role)} style={{ flexShrink: 0 }} data-testid="member-role">
      {roleLabel(role, t)}
    </Badge>
  );
}

/** A table row on wide screens. */
export function MemberRow({ member, isSelf, allowed, money, onAction }: Props) {
  const { t, formatDate } = useI18n();
  return (
    <Table.Tr data-testid="member-row" data-user-id={member.userId}>
      <Table.Td>
        <Identity member={member} isSelf={isSelf} />
      </Table.Td>
      <Table.Td>
        <RoleBadge role={member.role} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="member-limit">
          {describeLimit(member.spendLimit, member.spendLimitPeriod, money, t)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDate(member.joinedAt)}</Text>
      </Table.Td>
      <Table.Td ta="right">
        <MemberActions member={member} allowed={allowed} onAction={onAction} />
      </Table.Td>
    </Table.Tr>
  );
}

/** The same facts stacked in a card on phones, where a five-column table would not fit. */
export function MemberCard({ member, isSelf, allowed, money, onAction }: Props) {
  const { t, formatDate } = useI18n();
  return (
    <Paper withBorder p="sm" component="li" data-testid="member-row" data-user-id={member.userId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Identity member={member} isSelf={isSelf} />
        <Group gap={4} wrap="nowrap">
          <RoleBadge role={member.role} />
          <MemberActions member={member} allowed={allowed} onAction={onAction} />
        </Group>
      </Group>
      <Stack gap={0} mt={6}>
        <Text size="xs" c="dimmed" data-testid="member-limit">
          {t('organisation.spendLimitValue', {
            limit: describeLimit(member.spendLimit, member.spendLimitPeriod, money, t),
          })}
        </Text>
        <Text size="xs" c="dimmed">
          {t('organisation.joinedOn', { date: formatDate(member.joinedAt) })}
        </Text>
      </Stack>
    </Paper>
  );
}
