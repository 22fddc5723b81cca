/**
 * Answering within a ticket, and closing it. A closed ticket keeps the reply box: replying reopens
 * it (the server does), which the note above the box says.
 */
import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useI18n } from '../../i18n';
import { showNotice } from './show-notice';
import {
  closeTicket,
  MESSAGE_MAX_LENGTH,
  replyToTicket,
  showUpdatedTicket,
  type TicketDetail,
} from './support-api';

export function TicketReplyForm({ ticket }: { ticket: TicketDetail }) {
  const { t, formatDate } = useI18n();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const form = useForm({
    initialValues: { body: '' },
    validate: {
      body: (value) =>
        !value.trim()
          ? t('support.enterMessage')
          : value.length > MESSAGE_MAX_LENGTH
            ? t('support.tooLong', { max: MESSAGE_MAX_LENGTH })
            : null,
    },
  });

  const submit = form.onSubmit(async ({ body }) => {
    setProblem(null);
    try {
      await showUpdatedTicket(client, await replyToTicket(ticket.id, body));
      form.reset();
      showNotice(t, t('support.replySent'));
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['body'], form.setFieldError));
    }
  });

  const close = async () => {
    setProblem(null);
    setClosing(true);
    try {
      await showUpdatedTicket(client, await closeTicket(ticket.id));
      showNotice(t, t('support.ticketClosed'));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setClosing(false);
    }
  };

  const closed = ticket.status === 'closed';
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {closed && (
          <Alert color="gray" data-testid="ticket-closed-note">
            {t('support.closedNote', { date: formatDate(ticket.closedAt ?? ticket.updatedAt) })}
          </Alert>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Textarea
          label={t('support.reply')}
          description={t('support.messageHint')}
          autosize
          minRows={3}
          maxRows={12}
          maxLength={MESSAGE_MAX_LENGTH}
          data-testid="ticket-reply"
          {...form.getInputProps('body')}
        />
        <Group gap="sm">
          <Button type="submit" loading={form.submitting} data-testid="ticket-reply-send">
            {t('support.sendReply')}
          </Button>
          {!closed && (
            <Button variant="default" loading={closing} onClick={close} data-testid="ticket-close">
              {t('support.closeTicket')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
