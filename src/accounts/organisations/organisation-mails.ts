import type { AppContext } from '../../app-context.js';
import { signedText } from '../account-mails.js';

/** The invitation link lands on the web app, which posts the token back once the invitee is signed in. */
export function invitationMail(
  ctx: AppContext,
  to: string,
  invitation: { organisationName: string; inviterUsername: string; role: string; token: string },
) {
  return {
    to,
    subject: `You are invited to join ${invitation.organisationName} on Mixgate`,
    text: signedText(ctx, [
      `${invitation.inviterUsername} invited you to join the organisation "${invitation.organisationName}" on Mixgate as ${invitation.role}.`,
      '',
      'Accept with this link (valid for 7 days, usable once). Sign in, or sign up, with this e-mail address first:',
      `${ctx.config.publicUrl}/invitations/accept?token=${invitation.token}`,
      '',
      'If you do not know this organisation, ignore this message.',
    ]),
  };
}
