import type { AppContext } from '../app-context.js';

/** A mail body: the lines, then the operator's name as signature. */
export function signedText(ctx: Pick<AppContext, 'config'>, lines: string[]): string {
  return [...lines, '', `— ${ctx.config.OPERATOR_NAME}`].join('\n');
}

/** The texts of account e-mails. Links land on the web app, which posts the token back. */
export function verificationMail(ctx: AppContext, to: string, token: string) {
  return {
    to,
    subject: 'Confirm your e-mail address',
    text: signedText(ctx, [
      'Welcome to Mixgate.',
      '',
      'Confirm your e-mail address by opening this link (valid for 48 hours):',
      `${ctx.config.publicUrl}/verify-email?token=${token}`,
      '',
      'If you did not sign up, ignore this message.',
    ]),
  };
}

export function passwordResetMail(ctx: AppContext, to: string, token: string) {
  return {
    to,
    subject: 'Reset your password',
    text: signedText(ctx, [
      'Someone asked to reset the password of your Mixgate account.',
      '',
      'Choose a new password with this link (valid for one hour, usable once):',
      `${ctx.config.publicUrl}/reset-password?token=${token}`,
      '',
      'If it was not you, ignore this message: your password stays as it is.',
    ]),
  };
}

/** Sent instead of a verification mail when someone signs up with an address that has an account. */
export function existingAccountMail(ctx: AppContext, to: string) {
  return {
    to,
    subject: 'Someone tried to sign up with your address',
    text: signedText(ctx, [
      'Someone tried to create a Mixgate account with this e-mail address, which already has one.',
      '',
      `If it was you, sign in instead, or reset your password: ${ctx.config.publicUrl}/reset-password`,
      'If it was not you, you can ignore this message.',
    ]),
  };
}

/** Sent to the new address of an e-mail change: opening the link makes the change. */
export function emailChangeMail(ctx: AppContext, to: string, token: string) {
  return {
    to,
    subject: 'Confirm your new e-mail address',
    text: signedText(ctx, [
      'Someone asked to use this address for their Mixgate account.',
      '',
      'If it was you, confirm the change by opening this link (valid for 24 hours, usable once):',
      `${ctx.config.publicUrl}/confirm-email?token=${token}`,
      '',
      'If it was not you, ignore this message: nothing changes.',
    ]),
  };
}

/** Sent to the current address when a change is asked for, so a hijacked session cannot do it quietly. */
export function emailChangeRequestedMail(ctx: AppContext, to: string, newEmail: string) {
  return {
    to,
    subject: 'Security notice: a change of your e-mail address was requested',
    text: signedText(ctx, [
      `Someone signed in to your Mixgate account asked to change its e-mail address to ${newEmail}.`,
      'The address changes only when the link we sent there is opened.',
      '',
      'If this was not you, reset your password now: a new password also cancels the change.',
      `${ctx.config.publicUrl}/reset-password`,
      `Then contact ${ctx.config.OPERATOR_EMAIL}.`,
    ]),
  };
}

export function securityNoticeMail(ctx: AppContext, to: string, what: string) {
  return {
    to,
    subject: `Security notice: ${what}`,
    text: signedText(ctx, [
      `This is a notice that on your Mixgate account: ${what}.`,
      '',
      `If this was not you, reset your password now: ${ctx.config.publicUrl}/reset-password`,
      `and contact ${ctx.config.OPERATOR_EMAIL}.`,
    ]),
  };
}

/** Mail failures must not fail the request that caused them (the user can ask again). */
export async function sendMailSafely(
  ctx: AppContext,
  message: { to: string; subject: string; text: string },
  log: { warn: (obj: object, msg: string) => void },
): Promise<void> {
  try {
    await ctx.mailer.send(message);
  } catch (error) {
    log.warn({ err: { message: (error as Error).message }, subject: message.subject }, 'mail not sent');
  }
}
