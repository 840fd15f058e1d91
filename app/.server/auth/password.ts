import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane). Argon2id is the library default.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

/**
 * NFKC, as NIST SP 800-63B asks: the same password typed on another keyboard or device (a
 * composed "é" or an "e" with a combining accent, a full-width digit) is the same password.
 */
function normalise(password: string) {
  return password.normalize('NFKC');
}

export function hashPassword(password: string) {
  return hash(normalise(password), options);
}

async function verifyExactly(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export async function verifyPassword(passwordHash: string, password: string) {
  if (await verifyExactly(passwordHash, normalise(password))) return true;
  // Passwords set before hashing normalised were hashed as typed; they keep working.
  return normalise(password) !== password && verifyExactly(passwordHash, password);
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so a missing account is not revealed by timing. */
export async function verifyAgainstNothing(password: string) {
  dummyHash ??= hashPassword('not a real password, only here to spend time');
  await verifyPassword(await dummyHash, password);
  return false;
}
