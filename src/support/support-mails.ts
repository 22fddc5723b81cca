import { signedText } from '../accounts/account-mails.js';
import type { AppContext } from '../app-context.js';
import type { MailMessage } from '../lib/mailer.js';
import type { TicketRow } from './ticket-store.js';

/**
 * Tells the user there is a reply, naming the ticket by the day it was opened: neither the reply
 * nor the subject goes into the mail (content stays sealed in the instance, behind the sign-in).
 */
export function supportReplyMail(
  ctx: Pick<AppContext, 'config'>,
  to: string,
  ticket: Pick<TicketRow, 'id' | 'createdAt'>,
): MailMessage {
  return {
    to,
    subject: 'You have a reply from support',
    text: signedText(ctx, [
      `Our support team replied to your support ticket opened on ${ticket.createdAt.toISOString().slice(0, 10)}.`,
      '',
      'Sign in to read it and to answer:',
      `${ctx.config.publicUrl}/support/${ticket.id}`,
    ]),
  };
}
