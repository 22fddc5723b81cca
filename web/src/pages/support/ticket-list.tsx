/**
 * "Your tickets": one card per ticket, newest activity first as the server lists them, with its
 * status, topic and when it last moved. Cards rather than a table, so a phone shows them whole.
 */
import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { type TicketSummary, useTickets } from './support-api';
import { CATEGORY_LABELS } from './ticket-labels';
import { TicketStatusBadges } from './ticket-status-badges';

export function TicketList() {
  const { t } = useI18n();
  const tickets = useTickets();
  return (
    <Card withBorder padding="lg" data-testid="support-tickets">
      <Title order={2} size="h4" mb="sm">
        {t('support.listTitle')}
      </Title>
      {tickets.isPending ? (
        <Loading />
      ) : tickets.isError ? (
        <ErrorState error={tickets.error} onRetry={() => tickets.refetch()} />
      ) : tickets.data.length === 0 ? (
        <EmptyState title={t('support.emptyTitle')}>{t('support.emptyText')}</EmptyState>
      ) : (
        <Stack gap="sm">
          {tickets.data.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

function TicketCard({ ticket }: { ticket: TicketSummary }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card
      withBorder
      padding="sm"
      data-testid="ticket-row"
      data-ticket-id={ticket.id}
      data-status={ticket.status}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Anchor
            component={Link}
            to={`/support/${ticket.id}`}
            fw={600}
            style={{ overflowWrap: 'anywhere', minWidth: 0 }}
          >
            {ticket.subject}
          </Anchor>
          <TicketStatusBadges status={ticket.status} />
        </Group>
        <Text size="xs" c="dimmed">
          {t(CATEGORY_LABELS[ticket.category])} · {t('support.messageCount', { count: ticket.messageCount })}{' '}
          · {t('support.lastActivity', { date: formatDateTime(ticket.updatedAt) })}
        </Text>
      </Stack>
    </Card>
  );
}
