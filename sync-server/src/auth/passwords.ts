// Password hashing: Argon2id through oslo (m=19456 KiB, t=2, p=1: OWASP's minimum recommendation, about
// 35 ms here). Login always runs one Argon2 verification, against a dummy hash when the email is unknown, so
// "no such user" and "wrong password" take the same time and give nothing away.
import { Argon2id } from 'oslo/password';

const argon2 = new Argon2id();

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password);
}

let dummyHash: Promise<string> | undefined;
/** A real Argon2id hash of a random string, made once per process with the same parameters as real ones. */
function getDummyHash(): Promise<string> {
  dummyHash ??= argon2.hash(crypto.randomUUID()).catch((error: unknown) => {
    dummyHash = undefined; // let the next login try again rather than fail forever
    throw error;
  });
  return dummyHash;
}

/**
 * Verifies `password` against `hash`, or against the dummy hash when there is no user (`hash` null), in
 * which case the answer is always false. A malformed stored hash counts as a mismatch, never a crash.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const target = hash ?? (await getDummyHash());
  let matches: boolean;
  try {
    matches = await argon2.verify(target, password);
  } catch {
    matches = false;
  }
  return hash !== null && matches;
}

/** Compute the dummy hash ahead of the first login, so that login is not the slow one. */
export function warmUpPasswords(): Promise<unknown> {
  return getDummyHash();
}
