/** The kinds and limits of a support ticket, shared by the routes, the services and their tests. */
export const TICKET_CATEGORIES = ['account', 'billing', 'technical', 'privacy', 'abuse', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** open: waiting for the staff; answered: waiting for the user; closed. */
export const TICKET_STATUSES = ['open', 'answered', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const SUBJECT_MAX_LENGTH = 200;
export const MESSAGE_MAX_LENGTH = 20_000;
