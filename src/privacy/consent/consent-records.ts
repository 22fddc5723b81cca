/**
 * Consent records: writing a choice, reading the current one, and a user's history. Rows are only
 * ever added; the current choice for a purpose is the newest row of the person (or of the browser).
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { RequestMeta } from '../../accounts/request-meta.js';
import { consentRecords } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import { getCurrentDocument } from '../legal/current-documents.js';
import { CONSENT_PURPOSES, type ConsentPurpose, type ConsentSource } from './consent-purposes.js';

export type ConsentRecord = typeof consentRecords.$inferSelect;

/** Whose choices: a signed-in user, an anonymous browser, or a signed-in user on a known browser. */
export interface ConsentOwner {
  userId: string | null;
  visitorId: string | null;
}

export interface ConsentDecision {
  granted: boolean;
  source: ConsentSource;
  policyVersion: string;
  decidedAt: Date;
}

export type CurrentConsent = Record<ConsentPurpose, ConsentDecision | null>;

/**
 * The newest decision per purpose. A signed-in user's own decision wins; without one, the decision
 * made on this browser (before signing in, or by the account that used it last) applies, so a
 * person who chose on the log-in page is not asked again once inside.
 */
export async function currentConsent(db: DbOrTransaction, owner: ConsentOwner): Promise<CurrentConsent> {
  const found = await newestRows(db, owner);
  const current = {} as CurrentConsent;
  for (const purpose of CONSENT_PURPOSES) {
    const row = found[purpose].own ?? found[purpose].browser;
    current[purpose] = row ? decisionOf(row) : null;
  }
  return current;
}

export interface RecordConsentInput {
  owner: ConsentOwner;
  choices: Partial<Record<ConsentPurpose, boolean>>;
  source: ConsentSource;
  /** The request carried `Sec-GPC: 1`. */
  globalPrivacyControl: boolean;
  meta: RequestMeta;
  at: Date;
}

// User agents are attacker-controlled; evidence needs the start of one, not megabytes.
const MAX_USER_AGENT_LENGTH = 512;

/**
 * Records each choice that changes something (the decision, or the policy version it was made
 * under). Global Privacy Control is the person's standing objection, sent by their browser with
 * every request: a grant arriving with it contradicts it, so it is recorded as a refusal with the
 * source `gpc` (CCPA regulations §7025 make the signal binding; under the GDPR, consent must be
 * unambiguous, which a grant beside an objection is not). Returns the choices now in effect.
 */
export async function recordConsent(db: DbOrTransaction, input: RecordConsentInput): Promise<CurrentConsent> {
  const policy = await getCurrentDocument(db, 'privacy', undefined, input.at);
  if (!policy) throw new MixgateError('unavailable', 'No privacy policy is in effect yet');
  const before = await newestRows(db, input.owner);
  const rows: Array<typeof consentRecords.$inferInsert> = [];
  for (const purpose of CONSENT_PURPOSES) {
    const wanted = input.choices[purpose];
    if (wanted === undefined) continue;
    const overruled = wanted && input.globalPrivacyControl;
    const granted = overruled ? false : wanted;
    // A browser's decision a signed-in user inherited is recorded again as their own.
    const previous = before[purpose].own;
    if (previous?.granted === granted && previous.policyVersion === policy.version) continue;
    rows.push({
      userId: input.owner.userId,
      visitorId: input.owner.visitorId,
      purpose,
      granted,
      source: overruled ? 'gpc' : input.source,
      policyVersion: policy.version,
      createdAt: input.at,
      ip: input.meta.ip,
      userAgent: input.meta.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    });
  }
  if (rows.length > 0) await db.insert(consentRecords).values(rows);
  return currentConsent(db, input.owner);
}

/** A signed-in user's own records, newest first: what they chose, when, how, under which policy. */
export async function consentHistory(db: DbOrTransaction, userId: string): Promise<ConsentRecord[]> {
  return db
    .select()
    .from(consentRecords)
    .where(eq(consentRecords.userId, userId))
    .orderBy(desc(consentRecords.createdAt), desc(consentRecords.id))
    .limit(500);
}

interface NewestRows {
  /** The owner's own newest row: the user's when signed in, else the browser's. */
  own: ConsentRecord | undefined;
  /** The browser's newest row, read only when a signed-in user has none of their own. */
  browser: ConsentRecord | undefined;
}

async function newestRows(
  db: DbOrTransaction,
  owner: ConsentOwner,
): Promise<Record<ConsentPurpose, NewestRows>> {
  const result = {} as Record<ConsentPurpose, NewestRows>;
  for (const purpose of CONSENT_PURPOSES) {
    const byUser = owner.userId ? eq(consentRecords.userId, owner.userId) : undefined;
    const byBrowser = owner.visitorId ? eq(consentRecords.visitorId, owner.visitorId) : undefined;
    const own = await newest(db, purpose, byUser ?? byBrowser);
    const browser =
      own === undefined && byUser && byBrowser ? await newest(db, purpose, byBrowser) : undefined;
    result[purpose] = { own, browser };
  }
  return result;
}

async function newest(
  db: DbOrTransaction,
  purpose: ConsentPurpose,
  whose: SQL | undefined,
): Promise<ConsentRecord | undefined> {
  if (!whose) return undefined;
  const [row] = await db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.purpose, purpose), whose))
    .orderBy(desc(consentRecords.createdAt), desc(consentRecords.id))
    .limit(1);
  return row;
}

function decisionOf(row: ConsentRecord): ConsentDecision {
  return {
    granted: row.granted,
    source: row.source as ConsentSource,
    policyVersion: row.policyVersion,
    decidedAt: row.createdAt,
  };
}
