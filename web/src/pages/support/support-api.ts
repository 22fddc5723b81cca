/**
 * What the support pages read from and send to the server (src/support/): the account holder's
 * tickets, one ticket's conversation, opening a ticket, replying and closing.
 */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

export const TICKET_CATEGORIES = ['account', 'billing', 'technical', 'privacy', 'abuse', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export type TicketStatus = 'open' | 'answered' | 'closed';

/** The server's limits, checked here too so that the form says so before sending. */
export const SUBJECT_MAX_LENGTH = 200;
export const MESSAGE_MAX_LENGTH = 20_000;

export interface TicketSummary {
  id: string;
  subject: string;
  category: TicketCategory;
  status: TicketStatus;
  createdAt: string;
  /** The last message or change: the list is ordered by it, newest first. */
  updatedAt: string;
  closedAt: string | null;
  messageCount: number;
}

export interface TicketMessage {
  id: string;
  fromStaff: boolean;
  /** Plain text as typed: shown as text, never as HTML. */
  body: string;
  createdAt: string;
}

export interface TicketDetail extends TicketSummary {
  /** Oldest first. */
  messages: TicketMessage[];
}

export const TICKETS_KEY = ['support', 'tickets'] as const;
const ticketKey = (id: string) => [...TICKETS_KEY, id] as const;

export function useTickets() {
  return useQuery({
    queryKey: TICKETS_KEY,
    queryFn: async () => (await api<{ tickets: TicketSummary[] }>('/api/support/tickets')).tickets,
  });
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: ticketKey(id),
    queryFn: async () =>
      (await api<{ ticket: TicketDetail }>(`/api/support/tickets/${encodeURIComponent(id)}`)).ticket,
    // Someone else's ticket, or none, is a 404: asking again will not change that.
    retry: (failures, error) => !isNotFound(error) && failures < 2,
  });
}

/** No such ticket of the user's (404), or an address that cannot name one (400: not an id). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

export async function openTicket(body: {
  subject: string;
  category: TicketCategory;
  message: string;
}): Promise<TicketDetail> {
  return (await api<{ ticket: TicketDetail }>('/api/support/tickets', { json: body })).ticket;
}

export async function replyToTicket(id: string, body: string): Promise<TicketDetail> {
  return (
    await api<{ ticket: TicketDetail }>(`/api/support/tickets/${encodeURIComponent(id)}/messages`, {
      json: { body },
    })
  ).ticket;
}

export async function closeTicket(id: string): Promise<TicketDetail> {
  return (
    await api<{ ticket: TicketDetail }>(`/api/support/tickets/${encodeURIComponent(id)}/close`, {
      method: 'POST',
    })
  ).ticket;
}

/** The server's answer becomes the ticket shown at once; the list refreshes behind it. */
export async function showUpdatedTicket(client: QueryClient, ticket: TicketDetail): Promise<void> {
  client.setQueryData(ticketKey(ticket.id), ticket);
  await client.invalidateQueries({ queryKey: TICKETS_KEY, exact: true });
}
