import { z } from 'zod';
import { ZPassword } from '../account-schemas.js';

const ZInstant = z.string().describe('ISO 8601');

export const ZCloseBody = z.strictObject({
  password: ZPassword.describe('The account password, re-entered: it verifies that the closure is yours'),
});

export const ZClosureReply = z.object({
  closedAt: ZInstant,
  contentDeletedAfter: ZInstant.describe(
    'The end of the grace period: the content is deleted by the first retention sweep after it',
  ),
});

export const ZTerminationParams = z.object({ id: z.uuid() });

/** The statement of reasons the operator owes the customer (DSA Art. 17); it is mailed to them. */
export const ZTerminateBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, { error: 'State the reasons (at least 10 characters): they are sent to the customer' })
    .max(2000),
});

/** Why it is reopened (optional, the body too): it goes into the security log. */
export const ZReopenBody = z
  .strictObject({ reason: z.string().trim().min(1).max(2000).optional() })
  .nullish();

export const ZReopenReply = z.object({ status: z.literal('active') });
