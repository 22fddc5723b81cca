import { type Algorithm, hash, verify } from '@node-rs/argon2';

// The package's Algorithm is an ambient const enum, which verbatimModuleSyntax forbids reading at
// run time; its type still checks that 2 is Argon2id.
const ARGON2ID: Algorithm.Argon2id = 2;

/** OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * A real argon2id hash with the same parameters as ours, of 32 random bytes nobody kept. Verifying
 * against it costs what verifying a real account costs, so sign-in with an unknown e-mail takes as
 * long as sign-in with a wrong password and timing does not reveal which e-mails have accounts.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$UNiRRCEnqiS3CZDgaEYC0g$/7LFHwNjJYcW7TmHZJTTGZXuphGLHjb9+zYRJ4CR960';

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** False for a wrong password and for anything that is not a valid argon2 hash; never throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spend the time of one verification when the account does not exist; always false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, password);
  return false;
}
