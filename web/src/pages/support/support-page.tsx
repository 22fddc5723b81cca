/**
 * The support page: the account holder's tickets to the operator's support staff and the form to
 * open one. Each ticket's conversation is its own page (ticket-page.tsx).
 */
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useT } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { support } from '../../i18n/messages/en/support';
import { NewTicketForm } from './new-ticket-form';
import { TicketList } from './ticket-list';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('support', support);

export function SupportPage() {
  const t = useT();
  const [writing, setWriting] = useState(false);
  return (
    <Stack maw={860} gap="lg" data-testid="support-page">
      <Group justify="space-between" align="flex-start" gap="sm">
        <div style={{ flex: '1 1 16rem' }}>
          <Title order={1} size="h2">
            {t('support.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('support.intro')}
          </Text>
        </div>
        {!writing && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setWriting(true)}
            data-testid="new-ticket-open"
          >
            {t('support.newTicket')}
          </Button>
        )}
      </Group>
      {writing && <NewTicketForm onCancel={() => setWriting(false)} />}
      <TicketList />
    </Stack>
  );
}
