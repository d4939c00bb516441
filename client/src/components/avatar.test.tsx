import { describe, expect, it } from 'vitest';
import { initials, userHue } from './avatar.tsx';

describe('initials', () => {
  it('takes the first letters of the first and last word', () => {
    expect(initials('Ana María López')).toBe('AL');
    expect(initials('  bob ')).toBe('B');
    expect(initials('', 'zoe@example.com')).toBe('Z');
    expect(initials('Émile Zola')).toBe('ÉZ');
  });

  it('gives the same hue for the same id and a valid hue range', () => {
    expect(userHue('abc')).toBe(userHue('abc'));
    expect(userHue('abc')).toBeGreaterThanOrEqual(0);
    expect(userHue('abc')).toBeLessThan(360);
  });
});
