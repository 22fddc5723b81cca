/**
 * The notice of a new legal document version, mailed to every user with a confirmed address before
 * it takes effect. Users are mailed in batches ordered by id; the document row keeps the last id
 * mailed (notice_cursor), so a run that stops midway resumes where it was and a crash sends at most
 * one batch twice. Each batch holds the document row locked (FOR UPDATE SKIP LOCKED): two instances
 * never mail the same batch, the second simply finds nothing to do.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import { signedText } from '../../accounts/account-mails.js';
import type { AppContext } from '../../app-context.js';
import { legalDocuments, users } from '../../db/schema/index.js';
import type { DbTransaction } from '../../db/transaction.js';
import { type LegalDocument, pickLanguage } from './current-documents.js';
import { ZLegalDocumentType } from './legal-document-types.js';
import { changesPath, documentPath } from './legal-paths.js';
import { REQUIRED_TYPES } from './pending-acceptances.js';
import { formatEffectiveDate } from './render-template.js';

export const NOTICE_BATCH_SIZE = 200;

// Suspended users are still bound by the terms; closed, erasing and erased accounts are not.
const NOTIFIED_STATUSES = ['active', 'suspended'];

export interface NoticeRunResult {
  mailed: number;
  /** Mails the mailer refused; a batch where every mail failed is retried instead. */
  failed: number;
}

/**
 * Mails every due notice, batch after batch, until none is left. `maxBatches` stops early (tests
 * use it to show that the next run resumes from the cursor).
 */
export async function sendLegalNotices(
  ctx: AppContext,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<NoticeRunResult> {
  const batchSize = options.batchSize ?? NOTICE_BATCH_SIZE;
  const result: NoticeRunResult = { mailed: 0, failed: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
    const sent = await ctx.db.transaction((tx) => mailNextBatch(ctx, tx, batchSize));
    if (!sent) break;
    result.mailed += sent.mailed;
    result.failed += sent.failed;
  }
  return result;
}

/** One batch of one due notice, or null when no notice is due (or another instance holds each one). */
async function mailNextBatch(
  ctx: AppContext,
  tx: DbTransaction,
  batchSize: number,
): Promise<NoticeRunResult | null> {
  const now = ctx.now();
  const [document] = await tx
    .select()
    .from(legalDocuments)
    .where(
      and(
        eq(legalDocuments.authoritative, true),
        isNull(legalDocuments.noticeCompletedAt),
        lte(legalDocuments.createdAt, now),
        hasEarlierVersion(),
      ),
    )
    .orderBy(asc(legalDocuments.createdAt))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!document) return null;

  const recipients = await tx
    .select({ id: users.id, email: users.email, language: users.language })
    .from(users)
    .where(
      and(
        inArray(users.status, NOTIFIED_STATUSES),
        isNotNull(users.emailVerifiedAt),
        document.noticeCursor ? gt(users.id, document.noticeCursor) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(batchSize);
  const content = await noticeContent(tx, document);
  let failed = 0;
  for (const recipient of recipients) {
    try {
      await ctx.mailer.send(noticeMail(ctx, recipient.email, content, recipient.language));
    } catch {
      failed += 1;
    }
  }
  // The mail server is down rather than one address refused: roll back and let the retry resend.
  if (recipients.length > 0 && failed === recipients.length) {
    throw new Error(`Legal notice: none of ${failed} mails could be sent`);
  }
  const last = recipients.at(-1);
  await tx
    .update(legalDocuments)
    .set({
      noticeCursor: last?.id ?? document.noticeCursor,
      noticeCompletedAt: recipients.length < batchSize ? now : null,
    })
    .where(eq(legalDocuments.id, document.id));
  return { mailed: recipients.length - failed, failed };
}

/** Only a version that replaces another is announced: the first one changes nothing anybody agreed to. */
function hasEarlierVersion(): SQL {
  return sql`EXISTS (SELECT 1 FROM ${legalDocuments} AS earlier
    WHERE earlier.type = ${legalDocuments.type} AND earlier.authoritative
    AND earlier.effective_at < ${legalDocuments.effectiveAt})`;
}

interface NoticeContent {
  document: LegalDocument;
  /** The version this one replaces, for the changes link. */
  previousVersion: string;
  /** The document's translations, for the title in the reader's language. */
  languageVersions: LegalDocument[];
}

async function noticeContent(tx: DbTransaction, document: LegalDocument): Promise<NoticeContent> {
  const [previous] = await tx
    .select({ version: legalDocuments.version })
    .from(legalDocuments)
    .where(
      and(
        eq(legalDocuments.type, document.type),
        eq(legalDocuments.authoritative, true),
        lt(legalDocuments.effectiveAt, document.effectiveAt),
      ),
    )
    .orderBy(desc(legalDocuments.effectiveAt))
    .limit(1);
  const languageVersions = await tx
    .select()
    .from(legalDocuments)
    .where(and(eq(legalDocuments.type, document.type), eq(legalDocuments.version, document.version)));
  return { document, previousVersion: previous?.version ?? document.version, languageVersions };
}

/** The mail: what changes, when, the operator's summary, whether it is material, and the links. */
export function noticeMail(ctx: AppContext, to: string, content: NoticeContent, language: string) {
  const { document } = content;
  const title = (pickLanguage(content.languageVersions, language) ?? document).title;
  const date = formatEffectiveDate(document.effectiveAt, 'en');
  const base = ctx.config.publicUrl;
  const type = ZLegalDocumentType.safeParse(document.type);
  const asksAcceptance = type.success && (REQUIRED_TYPES as readonly string[]).includes(type.data);
  const consequence = document.material
    ? [
        'This is a material change.',
        asksAcceptance
          ? 'After that date, you will be asked to accept the new version before you go on using the service.'
          : 'It applies to you from that date.',
        'If you do not agree, you can close your account before then.',
      ]
    : ['This change is not material: you do not need to do anything.'];
  return {
    to,
    subject: `Changes to our ${title}`,
    text: signedText(ctx, [
      `We are updating our ${title}. Version ${document.version} takes effect on ${date}.`,
      '',
      'What changes:',
      document.changeSummary ?? '(no summary given)',
      '',
      ...consequence,
      '',
      `Read the new version: ${base}${documentPath(document.type, document.version, language)}`,
      `See every change: ${base}${changesPath(document.type, content.previousVersion, document.version)}`,
    ]),
  };
}
