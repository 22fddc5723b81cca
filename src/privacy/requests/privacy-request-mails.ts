import { signedText } from '../../accounts/account-mails.js';
import type { AppContext } from '../../app-context.js';
import type { MailMessage } from '../../lib/mailer.js';
import type { PrivacyRequestType } from './request-kinds.js';

/** The right a request exercises, as the mails name it. */
export const REQUEST_TYPE_LABELS: Record<PrivacyRequestType, string> = {
  access: 'a copy of your data (access and portability)',
  erasure: 'the erasure of your account and data',
  rectification: 'the correction of your data',
  restriction: 'the restriction of the processing of your data',
  objection: 'your objection to the processing of your data',
  consent_withdrawal: 'the withdrawal of your consent',
};

/** For a request staff entered (received by e-mail or post): opening the link confirms it was you. */
export function confirmRequestMail(
  ctx: AppContext,
  to: string,
  type: PrivacyRequestType,
  token: string,
  expiresAt: Date,
): MailMessage {
  const erasure = type === 'erasure';
  return {
    to,
    subject: erasure ? 'Confirm the erasure of your account' : 'Confirm your privacy request',
    text: signedText(ctx, [
      `We received a request for ${REQUEST_TYPE_LABELS[type]}.`,
      '',
      'To make sure it comes from you, confirm it with this link (valid until',
      `${expiresAt.toISOString()}, usable once):`,
      `${ctx.config.publicUrl}/privacy/confirm-request?token=${token}`,
      '',
      ...(erasure
        ? [
            'Confirming erases your account for good: your conversations, files and settings are deleted and',
            'cannot be restored. Billing records are kept, without your name or address, as the law requires.',
            '',
          ]
        : []),
      `If you did not ask for this, ignore this message and tell us at ${ctx.config.OPERATOR_PRIVACY_EMAIL}.`,
    ]),
  };
}

export function exportReadyMail(ctx: AppContext, to: string, expiresAt: Date): MailMessage {
  return {
    to,
    subject: 'Your data export is ready',
    text: signedText(ctx, [
      'The copy of your data you asked for is ready. Sign in and download it from your privacy centre:',
      // The web page, not the API route: the download needs a session, which the page signs in for.
      `${ctx.config.publicUrl}/privacy`,
      '',
      `It can be downloaded until ${expiresAt.toISOString()}; then it is deleted.`,
      'The archive holds one JSON file per kind of data, your generated files, and a README that explains them.',
    ]),
  };
}

export function requestResolvedMail(
  ctx: AppContext,
  to: string,
  type: PrivacyRequestType,
  outcome: 'completed' | 'rejected',
  reason: string,
): MailMessage {
  return {
    to,
    subject:
      outcome === 'completed' ? 'Your privacy request was completed' : 'Your privacy request was declined',
    text: signedText(ctx, [
      `Your request for ${REQUEST_TYPE_LABELS[type]} was ${outcome === 'completed' ? 'completed' : 'declined'}.`,
      '',
      reason,
      '',
      ...(outcome === 'rejected'
        ? [
            `You may write to us at ${ctx.config.OPERATOR_PRIVACY_EMAIL}, lodge a complaint with ${ctx.config.OPERATOR_SUPERVISORY_AUTHORITY},`,
            'or seek a judicial remedy (GDPR Art. 12(4)).',
          ]
        : []),
    ]),
  };
}

/** Sent to the address the account had, before it is pseudonymised: the last mail it receives. */
export function erasureReceiptMail(ctx: AppContext, to: string, requestId: string, pdf: Buffer): MailMessage {
  return {
    to,
    subject: 'Your account was erased',
    text: signedText(ctx, [
      'Your account and its data were erased as you asked. The attached receipt lists, for each kind of',
      'data, what was deleted, what was kept without your name or address, and why.',
      '',
      'This address is no longer linked to any account here; we will not write to it again.',
    ]),
    attachments: [
      { filename: `deletion-receipt-${requestId}.pdf`, contentType: 'application/pdf', content: pdf },
    ],
  };
}
