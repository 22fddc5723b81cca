import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { formatMoney } from '../../components/money';
import { ErrorState, Loading } from '../../components/states';
import { BalanceCard } from './balance-card';
import { InvitationsSection } from './invitations-section';
import { MembersSection } from './members-section';
import {
  describeLimit,
  ORGANISATIONS_KEY,
  type OrganisationDetails,
  organisationKey,
  useOrganisation,
  useOrganisationBalance,
} from './organisation-api';
import { can, ROLE_DESCRIPTIONS, roleColor, roleLabel } from './organisation-roles';

/** For roles that see only themselves: what they may do and their own limit. */
function MyMembership({
  organisation,
  selfId,
  currency,
}: {
  organisation: OrganisationDetails;
  selfId: string;
  currency?: string;
}) {
  const me = organisation.members.find((member) => member.userId === selfId);
  return (
    <Card withBorder padding="lg" data-testid="organisation-my-membership">
      <Stack gap="xs">
        <Title order={2} size="h4">
          Your membership
        </Title>
        <Text size="sm">
          You can spend the organisation’s balance through API keys made for it on the{' '}
          <Text component={Link} to="/keys" size="sm" c="blue" td="underline">
            API keys page
          </Text>
          .
        </Text>
        {me && (
          <Text size="sm" data-testid="my-spend-limit">
            Your spend limit:{' '}
            {describeLimit(me.spendLimit, me.spendLimitPeriod, (amount) => formatMoney(amount, currency))}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function LeaveCard({
  organisation,
  selfId,
  onLeft,
}: {
  organisation: OrganisationDetails;
  selfId: string;
  onLeft: () => void;
}) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const owner = organisation.role === 'owner';
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 240px' }}>
          <Text fw={600}>Leave {organisation.name}</Text>
          <Text size="sm" c="dimmed">
            {owner
              ? 'As the owner you cannot leave: make another member the owner first (in the member’s menu).'
              : 'Your API keys for this organisation stop working when you leave.'}
          </Text>
        </Stack>
        <Button
          variant="light"
          color="red"
          disabled={owner}
          onClick={() => setConfirming(true)}
          data-testid="organisation-leave"
        >
          Leave organisation
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Leave ${organisation.name}?`}
        confirmLabel="Leave"
        testId="organisation-leave-modal"
        onConfirm={async () => {
          await api(`/api/organisations/${organisation.id}/members/${selfId}`, { method: 'DELETE' });
          notifications.show({
            title: 'You left the organisation',
            message: `You are no longer a member of ${organisation.name}.`,
          });
          onLeft();
          // Only the list: asking again for the organisation itself would now be a 404.
          await client.refetchQueries({ queryKey: ORGANISATIONS_KEY, exact: true });
          client.removeQueries({ queryKey: organisationKey(organisation.id) });
        }}
      >
        You lose access to its balance, and only a new invitation can bring you back.
      </ConfirmModal>
    </Card>
  );
}

export function OrganisationDetailsView({
  id,
  selfId,
  onLeft,
}: {
  id: string;
  selfId: string;
  onLeft: () => void;
}) {
  const organisation = useOrganisation(id);
  const role = organisation.data?.role ?? '';
  // Shares the balance card's query; gives the spend limits their currency.
  const balance = useOrganisationBalance(id, can(role, 'view_billing'));
  const currency = balance.data?.currency;

  if (organisation.isPending) return <Loading />;
  if (organisation.isError)
    return <ErrorState error={organisation.error} onRetry={() => organisation.refetch()} />;
  const details = organisation.data;

  return (
    <Stack data-testid="organisation-details" data-organisation-id={details.id}>
      <Card withBorder padding="lg">
        <Stack gap={4}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} style={{ wordBreak: 'break-word' }} data-testid="organisation-name">
              {details.name}
            </Title>
            <Badge variant="light" color={roleColor(details.role)} data-testid="organisation-my-role">
              You: {roleLabel(details.role)}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {ROLE_DESCRIPTIONS[details.role as keyof typeof ROLE_DESCRIPTIONS] ?? ''}. Created{' '}
            {new Date(details.createdAt).toLocaleDateString()}.
          </Text>
        </Stack>
      </Card>
      {can(details.role, 'view_billing') && <BalanceCard organisationId={details.id} />}
      {can(details.role, 'view_members') ? (
        <MembersSection organisation={details} selfId={selfId} currency={currency} />
      ) : (
        <MyMembership organisation={details} selfId={selfId} currency={currency} />
      )}
      {details.invitations && (
        <InvitationsSection
          organisationId={details.id}
          actorRole={details.role}
          invitations={details.invitations}
        />
      )}
      <LeaveCard organisation={details} selfId={selfId} onLeft={onLeft} />
    </Stack>
  );
}
