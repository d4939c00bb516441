// Fractional-index ordering keys for tasks within a board column.
//
// A key is an "integer part" followed by a fraction, over the base-62 alphabet below (ASCII order, so plain
// string comparison, PostgreSQL `COLLATE "C"` and JavaScript `<` agree). The integer part's first character
// encodes its length (a..z: 2..27 chars, growing upward; Z..A: 2..27 chars, growing downward), so repeated
// appends at the end of a column grow keys logarithmically instead of linearly. The fraction never ends in
// '0', which keeps every key strictly between any two others reachable. This is the scheme of David
// Greenspan's "Implementing Fractional Indexing" (observablehq.com/@dgreensp/implementing-fractional-indexing),
// written here for our needs: jitter and tolerant handling of keys a buggy client may have written.

export const RANK_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = RANK_DIGITS[0];
const LAST = RANK_DIGITS[RANK_DIGITS.length - 1];
const SMALLEST_INTEGER = 'A' + ZERO.repeat(26);
/** Random characters appended by default, so two replicas inserting at the same spot rarely pick the same key. */
export const DEFAULT_JITTER_DIGITS = 3;

export class RankError extends Error {
  override name = 'RankError';
}

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 'a'.charCodeAt(0) + 2;
  if (head >= 'A' && head <= 'Z') return 'Z'.charCodeAt(0) - head.charCodeAt(0) + 2;
  throw new RankError(`invalid rank head ${JSON.stringify(head)}`);
}

function integerPart(key: string): string {
  const length = integerLength(key[0] ?? '');
  if (length > key.length) throw new RankError(`rank ${JSON.stringify(key)} is shorter than its integer part`);
  return key.slice(0, length);
}

/** True when `key` is a well-formed rank this module could have generated. */
export function isValidRank(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0 || key === SMALLEST_INTEGER) return false;
  for (const ch of key) if (!RANK_DIGITS.includes(ch)) return false;
  try {
    const int = integerPart(key);
    for (const ch of int.slice(1)) if (!RANK_DIGITS.includes(ch)) return false;
    return !key.slice(int.length).endsWith(ZERO);
  } catch {
    return false;
  }
}

/** A fraction strictly between fractions a and b (b null = 1). Neither may end in ZERO. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a ? RANK_DIGITS.indexOf(a[0]) : 0;
  const digitB = b !== null ? RANK_DIGITS.indexOf(b[0]) : RANK_DIGITS.length;
  if (digitB - digitA > 1) return RANK_DIGITS[Math.round((digitA + digitB) / 2)];
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return RANK_DIGITS[digitA] + midpoint(a.slice(1), null);
}

function incrementInteger(x: string): string | null {
  const head = x[0];
  const digits = x.slice(1).split('');
  let carry = true;
  for (let i = digits.length - 1; carry && i >= 0; i--) {
    const d = RANK_DIGITS.indexOf(digits[i]) + 1;
    if (d === RANK_DIGITS.length) digits[i] = ZERO;
    else {
      digits[i] = RANK_DIGITS[d];
      carry = false;
    }
  }
  if (!carry) return head + digits.join('');
  if (head === 'Z') return 'a' + ZERO;
  if (head === 'z') return null;
  const next = String.fromCharCode(head.charCodeAt(0) + 1);
  if (next > 'a') digits.push(ZERO);
  else digits.pop();
  return next + digits.join('');
}

function decrementInteger(x: string): string | null {
  const head = x[0];
  const digits = x.slice(1).split('');
  let borrow = true;
  for (let i = digits.length - 1; borrow && i >= 0; i--) {
    const d = RANK_DIGITS.indexOf(digits[i]) - 1;
    if (d === -1) digits[i] = LAST;
    else {
      digits[i] = RANK_DIGITS[d];
      borrow = false;
    }
  }
  if (!borrow) return head + digits.join('');
  if (head === 'a') return 'Z' + LAST;
  if (head === 'A') return null;
  const next = String.fromCharCode(head.charCodeAt(0) - 1);
  if (next < 'Z') digits.push(LAST);
  else digits.pop();
  return next + digits.join('');
}

/**
 * The deterministic key strictly between a and b (null = open end). Throws RankError when a or b is not a
 * valid rank or a >= b: callers holding keys from the document use {@link rankBetween}, which never throws.
 */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && !isValidRank(a)) throw new RankError(`invalid rank ${JSON.stringify(a)}`);
  if (b !== null && !isValidRank(b)) throw new RankError(`invalid rank ${JSON.stringify(b)}`);
  if (a !== null && b !== null && a >= b) throw new RankError(`rank ${a} is not below ${b}`);
  if (a === null) {
    if (b === null) return 'a' + ZERO;
    const ib = integerPart(b);
    const fb = b.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint('', fb);
    if (ib < b) return ib;
    const lower = decrementInteger(ib);
    if (lower === null) throw new RankError('cannot generate a rank below the smallest one');
    return lower;
  }
  const ia = integerPart(a);
  const fa = a.slice(ia.length);
  if (b === null) {
    const higher = incrementInteger(ia);
    return higher === null ? ia + midpoint(fa, null) : higher;
  }
  const ib = integerPart(b);
  if (ia === ib) return ia + midpoint(fa, b.slice(ib.length));
  const higher = incrementInteger(ia);
  if (higher === null) throw new RankError('cannot generate a rank above the largest one');
  return higher < b ? higher : ia + midpoint(fa, null);
}

export interface RankOptions {
  /** Uniform [0, 1) source for jitter; tests pass a seeded one. Defaults to Math.random. */
  random?: () => number;
  /** Random digits appended to the key; 0 disables jitter. */
  jitterDigits?: number;
}

function jitter(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    // The last digit is never ZERO: a fraction ending in ZERO is not a valid key.
    const low = i === digits - 1 ? 1 : 0;
    out += RANK_DIGITS[low + Math.floor(random() * (RANK_DIGITS.length - low))];
  }
  return out;
}

/**
 * A key strictly between a and b (null = open end) for a write to the document. Never throws: when a
 * neighbour holds a malformed key (another client's bug) or the two are out of order, the invalid side is
 * ignored, so the result may land next to, rather than exactly between, such neighbours.
 */
export function rankBetween(a: string | null, b: string | null, options: RankOptions = {}): string {
  const lower = a !== null && isValidRank(a) ? a : null;
  let upper = b !== null && isValidRank(b) ? b : null;
  if (lower !== null && upper !== null && lower >= upper) upper = null;
  let key: string;
  try {
    key = keyBetween(lower, upper);
  } catch {
    key = keyBetween(null, null);
  }
  const digits = options.jitterDigits ?? DEFAULT_JITTER_DIGITS;
  if (digits <= 0) return key;
  const jittered = key + jitter(options.random ?? Math.random, digits);
  // Appending keeps jittered > key > lower; it could pass upper only when key is a prefix of upper.
  return (upper === null || jittered < upper) && isValidRank(jittered) ? jittered : key;
}

/** Total order of board positions: rank, then id (ties happen when two replicas pick the same key). */
export function compareRankThenId(a: { rank: string; id: string }, b: { rank: string; id: string }): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
