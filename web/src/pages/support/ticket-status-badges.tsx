/** A ticket's status, and "Waiting for you" when support has answered and the next word is the user's. */
import { Badge, Group } from '@mantine/core';
import { useT } from '../../i18n';
import type { TicketStatus } from './support-api';
import { STATUS_COLORS, STATUS_LABELS } from './ticket-labels';

export function TicketStatusBadges({ status }: { status: TicketStatus }) {
  const t = useT();
  return (
    <Group gap={6} wrap="wrap">
      <Badge variant="light" color={STATUS_COLORS[status]} data-testid="ticket-status">
        {t(STATUS_LABELS[status])}
      </Badge>
      {status === 'answered' && (
        <Badge variant="light" color="orange" data-testid="ticket-waiting">
          {t('support.waitingForYou')}
        </Badge>
      )}
    </Group>
  );
}
