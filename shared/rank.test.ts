import { describe, expect, it } from 'vitest';
import { compareRankThenId, isValidRank, keyBetween, rankBetween, RankError } from './rank.ts';
import { createRng } from './test/prng.ts';

describe('rank keys', () => {
  it('[DM3] keyBetween returns a valid key strictly between its bounds', () => {
    const rng = createRng(42);
    let keys = [keyBetween(null, null)];
    for (let i = 0; i < 2000; i++) {
      const at = rng.int(0, keys.length);
      const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      expect(isValidRank(key), key).toBe(true);
      if (at > 0) expect(keys[at - 1] < key).toBe(true);
      if (at < keys.length) expect(key < keys[at]).toBe(true);
      keys = [...keys.slice(0, at), key, ...keys.slice(at)];
    }
  });

  it('[DM3] appending 10,000 times keeps keys short (logarithmic growth)', () => {
    let key: string | null = null;
    let prev = '';
    for (let i = 0; i < 10_000; i++) {
      key = keyBetween(key, null);
      expect(key > prev).toBe(true);
      prev = key;
    }
    expect(prev.length).toBeLessThanOrEqual(4);
    let first: string | null = null;
    for (let i = 0; i < 10_000; i++) first = keyBetween(null, first);
    expect((first ?? '').length).toBeLessThanOrEqual(4);
  });

  it('[DM3] rankBetween adds seeded jitter and stays between its neighbours', () => {
    const a = rankBetween('a0', 'a1', { random: createRng(1).next });
    const b = rankBetween('a0', 'a1', { random: createRng(1).next });
    const c = rankBetween('a0', 'a1', { random: createRng(2).next });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    for (const k of [a, c]) expect('a0' < k && k < 'a1' && isValidRank(k)).toBe(true);
    expect(rankBetween('a0', 'a1', { jitterDigits: 0 })).toBe(keyBetween('a0', 'a1'));
  });

  it('[DM3] rankBetween jitters inside a tight gap without crossing the upper bound', () => {
    const rng = createRng(9);
    for (let i = 0; i < 500; i++) {
      const lower = keyBetween(null, null);
      const upper = keyBetween(lower, null);
      const k = rankBetween(lower, upper, { random: rng.next });
      expect(lower < k && k < upper).toBe(true);
    }
  });

  it('[DM10] rankBetween never throws on malformed or out-of-order neighbours', () => {
    const bad = ['', 'hello0', '!!', 'a', 'A00000000000000000000000000', 'zz'];
    for (const a of [...bad, null, 'a0']) {
      for (const b of [...bad, null, 'a0']) {
        const k = rankBetween(a, b);
        expect(isValidRank(k)).toBe(true);
      }
    }
    // The valid side is respected when the other is malformed.
    expect(rankBetween('a5', 'garbage!') > 'a5').toBe(true);
    expect(rankBetween('garbage!', 'a5') < 'a5').toBe(true);
  });

  it('[DM3] keyBetween rejects invalid or out-of-order input with RankError', () => {
    expect(() => keyBetween('a1', 'a0')).toThrow(RankError);
    expect(() => keyBetween('a0', 'a0')).toThrow(RankError);
    expect(() => keyBetween('a10', null)).toThrow(RankError); // fraction ends in 0
    expect(() => keyBetween('é', null)).toThrow(RankError);
  });

  it('[DM2] compareRankThenId orders by rank, then by id on ties', () => {
    const items = [
      { rank: 'a1', id: 'b' },
      { rank: 'a0', id: 'z' },
      { rank: 'a1', id: 'a' },
    ];
    expect([...items].sort(compareRankThenId).map((x) => x.rank + x.id)).toEqual(['a0z', 'a1a', 'a1b']);
  });

  it('[DM2] keys order the same as code units, so "B" < "a" (SQL must use COLLATE "C")', () => {
    expect(keyBetween('Zz', 'a0') > 'Zz').toBe(true);
    expect('B' < 'a').toBe(true);
  });
});
