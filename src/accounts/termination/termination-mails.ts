/**
 * The mails of a closure, a reopening and the deletion that ends the grace period. A termination by
 * the operator carries its statement of reasons and how to contest it (DSA Art. 17).
 */
import type { AppContext } from '../../app-context.js';
import type { MailMessage } from '../../lib/mailer.js';
import { formatAmount } from '../../lib/money.js';
import { signedText } from '../account-mails.js';
import { mailDate } from './grace-period.js';

type MailContext = Pick<AppContext, 'config'>;

export interface ClosureNotice {
  closedAt: Date;
  contentDeletedAfter: Date;
  /** The wallet's balance when it closed, in micros. */
  balance: bigint;
  /** The operator's statement of reasons; null when the holder closed it themself. */
  reason: string | null;
}

/** To the account's address, when its holder closed it or the operator terminated it. */
export function accountClosedMail(ctx: MailContext, to: string, notice: ClosureNotice): MailMessage {
  const byOperator = notice.reason !== null;
  return {
    to,
    subject: byOperator ? 'Your Mixgate account was terminated' : 'Your Mixgate account is closed',
    text: signedText(ctx, [
      byOperator
        ? `We terminated your Mixgate account on ${mailDate(notice.closedAt)}.`
        : `Your Mixgate account was closed on ${mailDate(notice.closedAt)}, as you asked.`,
      ...statementOfReasons(ctx, notice.reason),
      'You can no longer sign in, its API keys no longer work and nothing more is spent from it.',
      'Requests already running when it closed finish and are charged as usual.',
      '',
      ...deletionAndBalance(ctx, notice, 'account'),
    ]),
  };
}

/**
 * To every member of the organisation, when its owner closed it or the operator terminated it; or
 * to its owner, its only member, when it closed with their account (`withOwnerAccount`).
 */
export function organisationClosedMail(
  ctx: MailContext,
  to: string,
  organisationName: string,
  notice: ClosureNotice,
  withOwnerAccount = false,
): MailMessage {
  const byOperator = notice.reason !== null;
  return {
    to,
    subject: `The organisation "${organisationName}" was ${byOperator ? 'terminated' : 'closed'}`,
    text: signedText(ctx, [
      byOperator
        ? `We terminated the organisation "${organisationName}" on ${mailDate(notice.closedAt)}.`
        : withOwnerAccount
          ? `The organisation "${organisationName}" was closed with your account on ${mailDate(notice.closedAt)}, as you were its only member.`
          : `The organisation "${organisationName}" was closed by its owner on ${mailDate(notice.closedAt)}.`,
      ...statementOfReasons(ctx, notice.reason),
      'Its API keys no longer work, its invitations are cancelled and nothing more is spent from its balance.',
      ...(withOwnerAccount ? [] : ['Your own account is not affected.']),
      '',
      ...deletionAndBalance(ctx, notice, 'organisation'),
    ]),
  };
}

export function accountReopenedMail(ctx: MailContext, to: string): MailMessage {
  return {
    to,
    subject: 'Your Mixgate account was reopened',
    text: signedText(ctx, [
      'Your Mixgate account was reopened: you can sign in again, and nothing will be deleted.',
      'The API keys it had stay revoked; create new ones in the settings.',
    ]),
  };
}

export function organisationReopenedMail(
  ctx: MailContext,
  to: string,
  organisationName: string,
): MailMessage {
  return {
    to,
    subject: `The organisation "${organisationName}" was reopened`,
    text: signedText(ctx, [
      `The organisation "${organisationName}" was reopened, and nothing of it will be deleted.`,
      'Its former API keys and invitations stay revoked: members create new keys, and the owner invites again.',
    ]),
  };
}

export interface OrganisationErasureCounts {
  invitations: number;
  members: number;
  spendCounters: number;
  jobsCleared: number;
  jobFolders: number;
}

/** To the owner once a closed organisation's grace period ended and its content was deleted. */
export function organisationErasedMail(
  ctx: MailContext,
  to: string,
  organisation: { id: string; formerName: string; newName: string },
  counts: OrganisationErasureCounts,
): MailMessage {
  return {
    to,
    subject: `The content of the closed organisation "${organisation.formerName}" was deleted`,
    text: signedText(ctx, [
      `The grace period of the organisation "${organisation.formerName}" (${organisation.id}) ended, so its`,
      'content was deleted:',
      `- ${counts.members} membership(s), with their roles and spend limits`,
      `- ${counts.invitations} invitation(s), with the invitees' addresses`,
      `- ${counts.spendCounters} spend counter(s) of its members`,
      `- the inputs, outputs and webhook settings of ${counts.jobsCleared} long generation(s), and ${counts.jobFolders} folder(s) of generated files`,
      '',
      'Kept, and why:',
      `- its wallet and billing records, under the name "${organisation.newName}": the law requires`,
      `  billing records for ${ctx.config.RETENTION_BILLING_RECORDS_DAYS} days;`,
      '- the usage records of its requests (model, tokens, cost; never a prompt or an answer), for the same reason;',
      "- its members' revoked API keys, which belong to their own accounts.",
      '',
      `Questions: ${ctx.config.OPERATOR_EMAIL}.`,
    ]),
  };
}

function statementOfReasons(ctx: MailContext, reason: string | null): string[] {
  if (reason === null) return [''];
  return [
    '',
    'Statement of reasons:',
    reason,
    '',
    'If you disagree, reply to this message or write to',
    `${ctx.config.OPERATOR_EMAIL}, saying why: a person reviews every objection. You may also turn to an`,
    'out-of-court dispute settlement body or to the courts.',
    '',
  ];
}

function deletionAndBalance(
  ctx: MailContext,
  notice: ClosureNotice,
  what: 'account' | 'organisation',
): string[] {
  return [
    `Its content is deleted after ${mailDate(notice.contentDeletedAfter)}. Until then, write to`,
    `${ctx.config.OPERATOR_EMAIL} to reopen the ${what}. Billing records are kept as the law requires.`,
    '',
    `Remaining balance: ${formatAmount(notice.balance)} ${ctx.config.CURRENCY}.`,
    `To ask for a refund of it, see the refund policy (${ctx.config.publicUrl}/legal/refund-policy) and`,
    `write to ${ctx.config.OPERATOR_EMAIL}.`,
  ];
}
