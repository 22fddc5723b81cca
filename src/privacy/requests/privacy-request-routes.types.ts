import { z } from 'zod';
import { ZPassword, ZToken } from '../../accounts/account-schemas.js';
import { PRIVACY_REQUEST_STATUSES, PRIVACY_REQUEST_TYPES } from './request-kinds.js';

const ZType = z.enum(PRIVACY_REQUEST_TYPES, { error: `must be one of ${PRIVACY_REQUEST_TYPES.join(', ')}` });
const ZDetails = z
  .string()
  .trim()
  .max(4000)
  .optional()
  .describe('What to correct, which processing is objected to…, in the person’s words');
/** Every staff action states why: it goes into the request's notes and, for a closing, to the person. */
const ZReason = z.string().trim().min(1, { error: 'State a reason' }).max(2000);

export const ZCreateOwnRequestBody = z.strictObject({
  type: ZType,
  password: ZPassword.describe('The account password, re-entered: it verifies that the request is yours'),
  details: ZDetails,
});

export const ZConfirmRequestBody = z.strictObject({ token: ZToken });

export const ZRequestParams = z.strictObject({ id: z.uuid() });

export const ZCreateStaffRequestBody = z.strictObject({
  userId: z.uuid(),
  type: ZType,
  reason: ZReason.describe('How the request was received (e-mail of …, letter of …)'),
  details: ZDetails,
});

export const ZResolveRequestBody = z.strictObject({ reason: ZReason });

export const ZStaffRequestsQuery = z.strictObject({
  status: z.enum(PRIVACY_REQUEST_STATUSES).optional(),
  open: z
    .enum(['true', 'false'])
    .optional()
    .describe('Only requests still awaiting verification or in progress'),
  overdue: z.enum(['true', 'false']).optional().describe('Only open requests past their due date'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const ZInstant = z.string().describe('ISO 8601');

export const ZOwnRequest = z.object({
  id: z.uuid(),
  type: ZType,
  status: z.enum(PRIVACY_REQUEST_STATUSES),
  source: z.enum(['app', 'staff', 'termination', 'retention']),
  details: z.string().nullable(),
  receivedAt: ZInstant,
  dueAt: ZInstant.describe('One month after receipt (Art. 12(3) GDPR)'),
  verifiedAt: ZInstant.nullable(),
  completedAt: ZInstant.nullable(),
  blockedReason: z.string().nullable().describe('Why the request waits, when something blocks it'),
  export: z
    .object({
      url: z.string().nullable().describe('Null once the archive expired'),
      expiresAt: ZInstant,
    })
    .nullable(),
});

export const ZOwnRequestReply = z.object({ request: ZOwnRequest });
export const ZOwnRequestsReply = z.object({ requests: z.array(ZOwnRequest) });

export const ZStaffRequest = ZOwnRequest.extend({
  export: z.object({ expiresAt: ZInstant }).nullable(),
  userId: z.uuid(),
  email: z.string(),
  username: z.string(),
  handledBy: z.uuid().nullable(),
  notes: z.string().nullable(),
  verification: z.string().nullable(),
  overdue: z.boolean().describe('Still open past its due date'),
  receiptUrl: z.string().nullable().describe('The deletion receipt (PDF) of a completed erasure'),
});

export const ZStaffRequestReply = z.object({ request: ZStaffRequest });
export const ZStaffRequestsReply = z.object({ requests: z.array(ZStaffRequest) });
