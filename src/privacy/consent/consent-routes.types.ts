import { z } from 'zod';
import { CONSENT_SOURCES } from './consent-purposes.js';

const ZVisitorId = z
  .uuid()
  .describe("A random id the web app keeps in this browser's storage, for a visitor who is not signed in");

export const ZConsentQuery = z.strictObject({ visitorId: ZVisitorId.optional() });

export const ZRecordConsentBody = z
  .strictObject({
    purposes: z.strictObject({ analytics: z.boolean().optional() }).describe('The choice per purpose'),
    source: z.enum(CONSENT_SOURCES).describe('Where the choice was made'),
    visitorId: ZVisitorId.optional(),
  })
  .refine((body) => !(body.source === 'gpc' && Object.values(body.purposes).includes(true)), {
    error: 'Global Privacy Control only ever refuses',
    path: ['source'],
  });

const ZDecision = z.object({
  granted: z.boolean(),
  source: z.enum(CONSENT_SOURCES),
  policyVersion: z.string().describe('The privacy policy version in effect when it was made'),
  decidedAt: z.string().describe('ISO 8601'),
});

const ZPurposeState = z.object({
  available: z.boolean().describe('Whether this instance has anything that needs this consent'),
  granted: z.boolean().describe('Whether the purpose may run now (never with Global Privacy Control)'),
  decision: ZDecision.nullable().describe('The choice on record; null: never asked yet'),
});

export const ZConsentReply = z.object({
  purposes: z.object({ analytics: ZPurposeState }),
  analyticsScriptUrl: z.string().nullable().describe('Loaded by the web app only once analytics is granted'),
  policyVersion: z.string().nullable().describe('The privacy policy version in effect'),
  globalPrivacyControl: z.boolean().describe('The request carried Sec-GPC: 1'),
});

export const ZConsentHistoryReply = z.object({
  records: z.array(
    ZDecision.extend({
      purpose: z.string(),
      visitorId: z.string().nullable(),
    }),
  ),
});
