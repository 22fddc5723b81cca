import { z } from 'zod';
import {
  MESSAGE_MAX_LENGTH,
  SUBJECT_MAX_LENGTH,
  TICKET_CATEGORIES,
  TICKET_STATUSES,
} from './ticket-kinds.js';

const ZInstant = z.string().describe('ISO 8601');
// Kept as written (indented code, line breaks), but not blank.
const ZMessageText = z
  .string()
  .max(MESSAGE_MAX_LENGTH, { error: `At most ${MESSAGE_MAX_LENGTH} characters` })
  .refine((text) => text.trim().length > 0, { error: 'Write a message' });

export const ZOpenTicketBody = z.strictObject({
  subject: z
    .string()
    .trim()
    .min(1, { error: 'Enter a subject' })
    .max(SUBJECT_MAX_LENGTH, { error: `At most ${SUBJECT_MAX_LENGTH} characters` }),
  category: z.enum(TICKET_CATEGORIES),
  message: ZMessageText,
});

export const ZMessageBody = z.strictObject({ body: ZMessageText });

export const ZTicketParams = z.strictObject({ id: z.uuid() });

export const ZStaffTicketsQuery = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZTicketStatusBody = z.strictObject({
  status: z.enum(TICKET_STATUSES),
  assignedTo: z.uuid().nullable().optional().describe('The staff member handling it; null: nobody'),
});

export const ZTicketSummary = z.object({
  id: z.uuid(),
  subject: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  status: z.enum(TICKET_STATUSES),
  createdAt: ZInstant,
  updatedAt: ZInstant.describe('The last message or change'),
  closedAt: ZInstant.nullable(),
  messageCount: z.number().int(),
});

export const ZTicketDetail = ZTicketSummary.extend({
  messages: z
    .array(
      z.object({
        id: z.uuid(),
        fromStaff: z.boolean(),
        body: z.string().describe('Plain text as written'),
        createdAt: ZInstant,
      }),
    )
    .describe('Oldest first'),
});

const ZOwner = { userId: z.uuid(), userEmail: z.string() };

export const ZTicketsReply = z.object({ tickets: z.array(ZTicketSummary) });
export const ZTicketReply = z.object({ ticket: ZTicketDetail });
export const ZStaffTicketsReply = z.object({ tickets: z.array(ZTicketSummary.extend(ZOwner)) });
export const ZStaffTicketReply = z.object({
  ticket: ZTicketDetail.extend({ ...ZOwner, assignedTo: z.uuid().nullable() }),
});
