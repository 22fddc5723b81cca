/**
 * Opening a ticket: a subject, a topic and the message. The limits are the server's, said on the
 * field before sending; whatever the server still refuses lands on its field or above the form.
 */
import { Alert, Button, Card, Group, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { showNotice } from './show-notice';
import {
  MESSAGE_MAX_LENGTH,
  openTicket,
  SUBJECT_MAX_LENGTH,
  showUpdatedTicket,
  TICKET_CATEGORIES,
  type TicketCategory,
} from './support-api';
import { CATEGORY_LABELS } from './ticket-labels';

interface Values {
  subject: string;
  category: TicketCategory;
  message: string;
}

const FIELDS = ['subject', 'category', 'message'] as const;

export function NewTicketForm({ onCancel }: { onCancel?: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { subject: '', category: 'technical', message: '' },
    validate: {
      subject: (value) =>
        !value.trim()
          ? t('support.enterSubject')
          : value.trim().length > SUBJECT_MAX_LENGTH
            ? t('support.tooLong', { max: SUBJECT_MAX_LENGTH })
            : null,
      message: (value) =>
        !value.trim()
          ? t('support.enterMessage')
          : value.length > MESSAGE_MAX_LENGTH
            ? t('support.tooLong', { max: MESSAGE_MAX_LENGTH })
            : null,
    },
  });

  const submit = form.onSubmit(async ({ subject, category, message }) => {
    setProblem(null);
    try {
      const ticket = await openTicket({ subject: subject.trim(), category, message });
      await showUpdatedTicket(client, ticket);
      showNotice(t, t('support.ticketOpened'));
      navigate(`/support/${ticket.id}`);
    } catch (error) {
      setProblem(fieldErrorsFrom(error, FIELDS, form.setFieldError));
    }
  });

  return (
    <Card withBorder padding="lg" data-testid="new-ticket">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('support.newTicketTitle')}
          </Title>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput
            label={t('support.subject')}
            placeholder={t('support.subjectPlaceholder')}
            required
            maxLength={SUBJECT_MAX_LENGTH}
            data-testid="new-ticket-subject"
            {...form.getInputProps('subject')}
          />
          <Select
            label={t('support.category')}
            data={TICKET_CATEGORIES.map((category) => ({
              value: category,
              label: t(CATEGORY_LABELS[category]),
            }))}
            allowDeselect={false}
            required
            data-testid="new-ticket-category"
            {...form.getInputProps('category')}
          />
          <Textarea
            label={t('support.message')}
            description={t('support.messageHint')}
            required
            autosize
            minRows={4}
            maxRows={14}
            maxLength={MESSAGE_MAX_LENGTH}
            data-testid="new-ticket-message"
            {...form.getInputProps('message')}
          />
          <Group gap="sm">
            <Button type="submit" loading={form.submitting} data-testid="new-ticket-submit">
              {t('support.send')}
            </Button>
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('support.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
