/** The words and colours of a ticket's topic and status, shared by the list and the conversation. */
import type { MessageKey } from '../../i18n';
import type { TicketCategory, TicketStatus } from './support-api';

export const CATEGORY_LABELS: Record<TicketCategory, MessageKey> = {
  account: 'support.categoryAccount',
  billing: 'support.categoryBilling',
  technical: 'support.categoryTechnical',
  privacy: 'support.categoryPrivacy',
  abuse: 'support.categoryAbuse',
  other: 'support.categoryOther',
};

export const STATUS_LABELS: Record<TicketStatus, MessageKey> = {
  open: 'support.statusOpen',
  answered: 'support.statusAnswered',
  closed: 'support.statusClosed',
};

export const STATUS_COLORS: Record<TicketStatus, string> = {
  open: 'blue',
  answered: 'teal',
  closed: 'gray',
};
