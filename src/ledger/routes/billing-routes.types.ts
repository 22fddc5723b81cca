import { z } from 'zod';
import { MAX_TRANSACTIONS_PAGE, TRANSFER_DIRECTIONS } from '../list-transactions.js';
import { MAX_SPEND_RANGE_DAYS, utcDates } from '../spend-summary.js';
import { TRANSFER_KINDS } from '../transfer.js';

const ZOrganisationId = z.uuid().optional().describe("The organisation's shared wallet instead of your own");

const ZInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: (issue) =>
      issue.input === undefined
        ? 'Required'
        : 'An ISO date like "2026-01-31" or date-time like "2026-01-31T12:00:00Z"',
  })
  .transform((text) => new Date(text));

/** `kind=usage&kind=top_up` or `kind=usage,top_up`. */
const ZKinds = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => [
    ...new Set(
      (Array.isArray(value) ? value : [value]).flatMap((text) => text.split(',')).map((kind) => kind.trim()),
    ),
  ])
  .pipe(z.array(z.enum(TRANSFER_KINDS)).min(1));

function isFromBeforeTo(query: { from?: Date; to?: Date }): boolean {
  return !query.from || !query.to || query.from < query.to;
}
const fromBeforeTo = { error: '"to" must be after "from"', path: ['to'] };

const filterShape = {
  organisationId: ZOrganisationId,
  kind: ZKinds.optional(),
  from: ZInstant.optional().describe('Inclusive'),
  to: ZInstant.optional().describe('Exclusive'),
  model: z.string().min(1).max(200).optional(),
  apiKeyId: z.uuid().optional(),
  direction: z.enum(TRANSFER_DIRECTIONS).optional().describe('credit: money in; debit: money out'),
};

export const ZBalanceQuery = z.strictObject({ organisationId: ZOrganisationId });
export type TBalanceQuery = z.infer<typeof ZBalanceQuery>;

export const ZTransactionsCsvQuery = z.strictObject(filterShape).refine(isFromBeforeTo, fromBeforeTo);
export type TTransactionsCsvQuery = z.infer<typeof ZTransactionsCsvQuery>;

export const ZListTransactionsQuery = z
  .strictObject({
    ...filterShape,
    cursor: z.string().min(1).max(64).optional().describe('The nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(MAX_TRANSACTIONS_PAGE).default(50),
  })
  .refine(isFromBeforeTo, fromBeforeTo);
export type TListTransactionsQuery = z.infer<typeof ZListTransactionsQuery>;

export const ZSpendQuery = z
  .strictObject({
    organisationId: ZOrganisationId,
    from: ZInstant.describe('Inclusive'),
    to: ZInstant.describe('Exclusive'),
  })
  .refine(isFromBeforeTo, fromBeforeTo)
  .refine((query) => utcDates(query.from, query.to).length <= MAX_SPEND_RANGE_DAYS, {
    error: `The range may cover at most ${MAX_SPEND_RANGE_DAYS} days`,
    path: ['to'],
  });
export type TSpendQuery = z.infer<typeof ZSpendQuery>;

const ZAmount = z.string().describe('Decimal with six places, e.g. "12.340000"');

export const ZBalanceResponse = z.object({
  currency: z.string(),
  balance: ZAmount,
  held: ZAmount.describe('Reserved by generations in flight'),
  available: ZAmount.describe('balance - held'),
  openHoldCount: z.number().int(),
  openHolds: z
    .array(
      z.object({
        id: z.number().int(),
        amount: ZAmount,
        model: z.string().nullable(),
        createdAt: z.string(),
        expiresAt: z.string(),
      }),
    )
    .describe('Newest first, at most 100'),
});
export type TBalanceResponse = z.infer<typeof ZBalanceResponse>;

export const ZTransactionsResponse = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      createdAt: z.string(),
      kind: z.string(),
      direction: z.enum(TRANSFER_DIRECTIONS),
      amount: ZAmount.describe('Signed: negative for money out'),
      reason: z.string().nullable(),
      model: z.string().nullable(),
      apiKeyId: z.string().nullable(),
      memberUserId: z.string().nullable(),
      holdId: z.number().int().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type TTransactionsResponse = z.infer<typeof ZTransactionsResponse>;

const spendShape = { amount: ZAmount, requests: z.number().int() };
const ZModelSpend = z.object({ model: z.string().nullable(), ...spendShape });
const ZApiKeySpend = z.object({
  apiKeyId: z.string().nullable().describe('Null for usage in the web app, without a key'),
  ...spendShape,
});

export const ZSpendResponse = z.object({
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  total: z.object(spendShape),
  days: z.array(
    z.object({
      date: z.string(),
      ...spendShape,
      models: z.array(ZModelSpend).describe('Most expensive first'),
      apiKeys: z.array(ZApiKeySpend).describe('Most expensive first'),
    }),
  ),
  models: z.array(ZModelSpend),
  apiKeys: z.array(
    ZApiKeySpend.extend({
      name: z.string().nullable().describe("The key's name, even once revoked; null without a key"),
      prefix: z.string().nullable().describe("The key's first characters, as the keys list shows them"),
      revoked: z.boolean(),
    }),
  ),
});
export type TSpendResponse = z.infer<typeof ZSpendResponse>;
