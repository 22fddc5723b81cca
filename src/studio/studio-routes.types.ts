import { z } from 'zod';
import { LANGUAGES } from '../accounts/preferences.js';
import { ZLine, ZMessageContent, ZStorableText } from './message-content.js';
import { MAX_REPORT_DETAILS, REPORT_REASONS } from './output-reports.js';

export const MAX_CONVERSATIONS_PAGE = 100;

const ZTitle = ZLine.max(200);
export const ZModelId = z.string().min(1).max(200).describe('A catalog model id, e.g. "openai/gpt-4o-mini"');
export const ZInstant = z.string().describe('ISO 8601, e.g. "2026-01-31T12:00:00.000Z"');
export const ZAmount = z.string().describe('Decimal in currency units with six places, e.g. "0.000150"');

export const ZConversationParams = z.strictObject({ id: z.uuid() });

/** `<ISO instant>_<id>` as nextBefore gives it, or a bare ISO instant. */
export const ZBefore = z
  .string()
  .regex(
    /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))(?:_([0-9a-f-]{36}))?$/i,
    'must be the nextBefore of the previous page (or an ISO date-time)',
  )
  .transform((text, context) => {
    const [instant, id] = text.split('_');
    const updatedAt = new Date(instant!);
    if (Number.isNaN(updatedAt.getTime())) {
      context.addIssue({ code: 'custom', message: 'is not a valid date-time' });
      return z.NEVER;
    }
    return id ? { updatedAt, id: id.toLowerCase() } : { updatedAt };
  });

export const ZListConversationsQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Finds titles and message texts containing it (any case)'),
  limit: z.coerce.number().int().min(1).max(MAX_CONVERSATIONS_PAGE).default(50),
  before: ZBefore.optional().describe('The nextBefore of the previous page'),
});

export const ZConversation = z.object({
  id: z.uuid(),
  title: z.string(),
  model: z.string().nullable().describe('The model used last'),
  activeLeafId: z.uuid().nullable().describe('The last message of the branch shown'),
  createdAt: ZInstant,
  updatedAt: ZInstant.describe('The last message written'),
});

export const ZConversationListResponse = z.object({
  conversations: z.array(ZConversation.omit({ activeLeafId: true })),
  nextBefore: z.string().nullable().describe('Pass as `before` for the next page; null on the last page'),
});

export const ZCreateConversationBody = z.strictObject({
  title: ZTitle.optional().describe('Default "New chat": then the first message names it'),
  model: ZModelId.optional(),
});

export const ZUpdateConversationBody = z
  .strictObject({
    title: ZTitle.optional(),
    activeLeafId: z.uuid().optional().describe('Show the branch ending at this message'),
  })
  .refine((body) => body.title !== undefined || body.activeLeafId !== undefined, {
    error: 'give title or activeLeafId',
  });

// Stored content was checked on the way in; the answer's schema only documents it.
const ZAttachmentView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), name: z.string(), mediaType: z.string(), dataUrl: z.string() }),
  z.object({ kind: z.literal('file'), name: z.string(), mediaType: z.string(), text: z.string() }),
]);

export const ZMessage = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.object({ text: z.string(), attachments: z.array(ZAttachmentView).optional() }),
  model: z.string().nullable().describe('The model that answered'),
  generationId: z.string().nullable().describe('For GET /v1/generations/:id and reports'),
  cost: ZAmount.nullable().describe("What the answer cost; null for the user's messages"),
  status: z
    .enum(['complete', 'cancelled', 'interrupted', 'failed'])
    .describe('cancelled: the browser left; interrupted: the provider broke off; failed: no answer'),
  error: z.string().nullable().describe('Why an answer was interrupted or failed'),
  createdAt: ZInstant,
});

export const ZConversationResponse = z.object({
  conversation: ZConversation,
  messages: z.array(ZMessage).describe('Every message of every branch, oldest first'),
});

export const ZExportQuery = z.strictObject({ format: z.enum(['markdown', 'json']).default('markdown') });

export const ZChatTurnBody = z
  .strictObject({
    model: ZModelId,
    content: ZMessageContent.optional().describe('The new user message; left out (ignored) with regenerate'),
    parentId: z
      .uuid()
      .nullable()
      .describe('The answer this message follows (null: a first message); with regenerate, the user message'),
    regenerate: z.boolean().optional().describe('Answer the user message `parentId` again, as a sibling'),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.int().positive().optional(),
  })
  .superRefine((body, context) => {
    if (!body.regenerate && body.content === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'is required unless regenerate is true',
      });
    }
    if (body.regenerate && body.parentId === null) {
      context.addIssue({
        code: 'custom',
        path: ['parentId'],
        message: 'must name the user message to answer again',
      });
    }
  });

export const ZPreferences = z.object({
  historyEnabled: z.boolean().describe('Off: the web app keeps no conversation'),
  language: z.enum(LANGUAGES),
});

export const ZPreferencesBody = z
  .strictObject({
    historyEnabled: z.boolean().optional(),
    language: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }).optional(),
  })
  .refine((body) => body.historyEnabled !== undefined || body.language !== undefined, {
    error: 'give historyEnabled or language',
  });

export const ZReportBody = z.strictObject({
  generationId: z.string().min(1).max(64),
  reason: z.enum(REPORT_REASONS, { error: `must be one of ${REPORT_REASONS.join(', ')}` }),
  details: ZStorableText.trim().max(MAX_REPORT_DETAILS).optional(),
});

export const ZReportResponse = z.object({ id: z.uuid() });
