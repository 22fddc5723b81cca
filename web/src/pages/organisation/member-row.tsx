import { ActionIcon, Badge, Group, Menu, Paper, Stack, Table, Text } from '@mantine/core';
import { IconCrown, IconDots, IconPencil, IconUserMinus } from '@tabler/icons-react';
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
  if (!allowed.edit && !allowed.remove && !allowed.transfer) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          aria-label={`Actions for ${member.username}`}
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
            Change role or spend limit
          </Menu.Item>
        )}
        {allowed.transfer && (
          <Menu.Item
            leftSection={<IconCrown size={16} />}
            onClick={() => onAction('transfer')}
            data-testid="member-transfer"
          >
            Make owner
          </Menu.Item>
        )}
        {allowed.remove && (
          <Menu.Item
            color="red"
            leftSection={<IconUserMinus size={16} />}
            onClick={() => onAction('remove')}
            data-testid="member-remove"
          >
            Remove from organisation
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function Identity({ member, isSelf }: Pick<Props, 'member' | 'isSelf'>) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
        {member.username}
        {isSelf && (
          <Text span size="xs" c="dimmed">
            {' '}
            (you)
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
  return (
    <Badge variant="light" color={roleColor(role)} style={{ flexShrink: 0 }} data-testid="member-role">
      {roleLabel(role)}
    </Badge>
  );
}

/** A table row on wide screens. */
export function MemberRow({ member, isSelf, allowed, money, onAction }: Props) {
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
          {describeLimit(member.spendLimit, member.spendLimitPeriod, money)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{new Date(member.joinedAt).toLocaleDateString()}</Text>
      </Table.Td>
      <Table.Td ta="right">
        <MemberActions member={member} allowed={allowed} onAction={onAction} />
      </Table.Td>
    </Table.Tr>
  );
}

/** The same facts stacked in a card on phones, where a five-column table would not fit. */
export function MemberCard({ member, isSelf, allowed, money, onAction }: Props) {
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
          Spend limit: {describeLimit(member.spendLimit, member.spendLimitPeriod, money)}
        </Text>
        <Text size="xs" c="dimmed">
          Joined {new Date(member.joinedAt).toLocaleDateString()}
        </Text>
      </Stack>
    </Paper>
  );
}
