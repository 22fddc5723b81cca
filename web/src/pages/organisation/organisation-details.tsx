import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { formatMoney } from '../../components/money';
import { ErrorState, Loading } from '../../components/states';
import { useI18n, useT } from '../../i18n';
import { BalanceCard } from './balance-card';
import { CloseOrganisationCard, OrganisationClosedNotice } from './close-organisation-card';
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
import { can, roleColor, roleDescription, roleLabel } from './organisation-roles';

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
  const { t, rich } = useI18n();
  return (
    <Card withBorder padding="lg" data-testid="organisation-my-membership">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('organisation.yourMembership')}
        </Title>
        <Text size="sm">
          {rich('organisation.membershipText', {
            link: (
              <Text component={Link} to="/keys" size="sm" c="blue" td="underline">
                {t('organisation.keysPage')}
              </Text>
            ),
          })}
        </Text>
        {me && (
          <Text size="sm" data-testid="my-spend-limit">
            {t('organisation.yourSpendLimit', {
              limit: describeLimit(
                me.spendLimit,
                me.spendLimitPeriod,
                (amount) => formatMoney(amount, currency),
                t,
              ),
            })}
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
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const owner = organisation.role === 'owner';
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 240px' }}>
          <Text fw={600}>{t('organisation.leaveName', { name: organisation.name })}</Text>
          <Text size="sm" c="dimmed">
            {t(owner ? 'organisation.ownerCannotLeave' : 'organisation.keysStopWhenLeaving')}
          </Text>
        </Stack>
        <Button
          variant="light"
          color="red"
          disabled={owner}
          onClick={() => setConfirming(true)}
          data-testid="organisation-leave"
        >
          {t('organisation.leaveOrganisation')}
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('organisation.leaveTitle', { name: organisation.name })}
        confirmLabel={t('organisation.leave')}
        testId="organisation-leave-modal"
        onConfirm={async () => {
          await api(`/api/organisations/${organisation.id}/members/${selfId}`, { method: 'DELETE' });
          notifications.show({
            title: t('organisation.left'),
            message: t('organisation.noLongerMember', { name: organisation.name }),
          });
          onLeft();
          // Only the list: asking again for the organisation itself would now be a 404.
          await client.refetchQueries({ queryKey: ORGANISATIONS_KEY, exact: true });
          client.removeQueries({ queryKey: organisationKey(organisation.id) });
        }}
      >
        {t('organisation.leaveText')}
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
  const { t, formatDate } = useI18n();
  const role = organisation.data?.role ?? '';
  // Shares the balance card's query; gives the spend limits their currency.
  const balance = useOrganisationBalance(id, can(role, 'view_billing'));
  const currency = balance.data?.currency;

  if (organisation.isPending) return <Loading />;
  if (organisation.isError)
    return <ErrorState error={organisation.error} onRetry={() => organisation.refetch()} />;
  const details = organisation.data;
  const closed = details.status === 'closed';

  return (
    <Stack data-testid="organisation-details" data-organisation-id={details.id}>
      <Card withBorder padding="lg">
        <Stack gap={4}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} style={{ wordBreak: 'break-word' }} data-testid="organisation-name">
              {details.name}
            </Title>
            <Badge variant="light" color={roleColor(details.role)} data-testid="organisation-my-role">
              {t('organisation.yourRole', { role: roleLabel(details.role, t) })}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {t('organisation.roleAndCreated', {
              description: roleDescription(details.role, t),
              date: formatDate(details.createdAt),
            })}
          </Text>
        </Stack>
      </Card>
      {closed && <OrganisationClosedNotice organisation={details} />}
      {can(details.role, 'view_billing') && <BalanceCard organisationId={details.id} />}
      {can(details.role, 'view_members') ? (
        <MembersSection organisation={details} selfId={selfId} currency={currency} />
      ) : (
        <MyMembership organisation={details} selfId={selfId} currency={currency} />
      )}
      {details.invitations && !closed && (
        <InvitationsSection
          organisationId={details.id}
          actorRole={details.role}
          invitations={details.invitations}
        />
      )}
      {!closed && <LeaveCard organisation={details} selfId={selfId} onLeft={onLeft} />}
      {!closed && can(details.role, 'close_organisation') && <CloseOrganisationCard organisation={details} />}
    </Stack>
  );
}
