/**
 * A ticket's messages as a conversation, oldest first: the user's on one side, support's on the
 * other and labelled "Support". Bodies are plain text: React writes them as text (never as HTML),
 * and `pre-wrap` keeps the line breaks and spacing they were typed with.
 */
import { Paper, Stack, Text } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { TicketMessage } from './support-api';

export function TicketConversation({ messages }: { messages: TicketMessage[] }) {
  const { t } = useI18n();
  return (
    <Stack
      gap="sm"
      component="ol"
      p={0}
      m={0}
      aria-label={t('support.conversation')}
      style={{ listStyle: 'none' }}
    >
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} />
      ))}
    </Stack>
  );
}

function MessageBubble({ message }: { message: TicketMessage }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper
      component="li"
      withBorder
      p="sm"
      radius="md"
      bg={message.fromStaff ? 'var(--mantine-color-default-hover)' : undefined}
      // Narrower than the column and pushed to one side, so who said what shows at a glance.
      maw="90%"
      ml={message.fromStaff ? 0 : 'auto'}
      data-testid="ticket-message"
      data-from={message.fromStaff ? 'staff' : 'user'}
    >
      <Text size="xs" mb={4}>
        <Text
          span
          size="xs"
          fw={600}
          c={message.fromStaff ? 'teal' : undefined}
          data-testid="ticket-message-author"
        >
          {message.fromStaff ? t('support.fromSupport') : t('support.fromYou')}
        </Text>
        <Text span size="xs" c="dimmed">
          {' · '}
          {formatDateTime(message.createdAt)}
        </Text>
      </Text>
      <Text
        size="sm"
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        data-testid="ticket-message-body"
      >
        {message.body}
      </Text>
    </Paper>
  );
}
