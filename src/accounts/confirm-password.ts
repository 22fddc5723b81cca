import { MixgateError } from '../lib/errors.js';
import { verifyPassword } from './password-hash.js';

/**
 * A sensitive action (a privacy request, an e-mail change, closing an account or an organisation)
 * needs the account password re-entered: a stolen session alone must not be able to take it. The
 * refusal names the field, so the web app shows it on the password input.
 */
export async function confirmPassword(passwordHash: string | undefined, password: string): Promise<void> {
  if (passwordHash === undefined || !(await verifyPassword(passwordHash, password))) {
    throw new MixgateError('forbidden', 'The password is not correct', 403, { field: 'password' });
  }
}
