/**
 * One support ticket (`/support/:ticketId`): its subject, status and topic, the conversation with
 * support, and the reply box. Another user's ticket, or none, is "not found", as the server says.
 */
import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { support } from '../../i18n/messages/en/support';
import { isNotFound, useTicket } from './support-api';
import { TicketConversation } from './ticket-conversation';
import { CATEGORY_LABELS } from './ticket-labels';
import { TicketReplyForm } from './ticket-reply-form';
import { TicketStatusBadges } from './ticket-status-badges';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('support', support);

export function TicketPage() {
  const { t, formatDateTime } = useI18n();
  const { ticketId = '' } = useParams();
  const ticket = useTicket(ticketId);

  return (
    <Stack maw={860} gap="md" data-testid="ticket-page">
      <Anchor component={Link} to="/support" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          {t('support.allTickets')}
        </Group>
      </Anchor>
      {ticket.isPending ? (
        <Loading />
      ) : ticket.isError ? (
        isNotFound(ticket.error) ? (
          <EmptyState title={t('support.notFoundTitle')}>{t('support.notFoundText')}</EmptyState>
        ) : (
          <ErrorState error={ticket.error} onRetry={() => ticket.refetch()} />
        )
      ) : (
        <>
          <div>
            <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }} data-testid="ticket-subject">
              {ticket.data.subject}
            </Title>
            <Group gap="xs" mt={6} wrap="wrap">
              <TicketStatusBadges status={ticket.data.status} />
              <Text size="xs" c="dimmed">
                {t(CATEGORY_LABELS[ticket.data.category])} ·{' '}
                {t('support.openedOn', { date: formatDateTime(ticket.data.createdAt) })}
              </Text>
            </Group>
          </div>
          <TicketConversation messages={ticket.data.messages} />
          <Card withBorder padding="md">
            <TicketReplyForm key={ticket.data.id} ticket={ticket.data} />
          </Card>
        </>
      )}
    </Stack>
  );
}
