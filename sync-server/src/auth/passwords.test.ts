import { Argon2id } from 'oslo/password';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS, isCommonPassword } from '../../../shared/common-passwords.ts';
import { EmailSchema, NewPasswordSchema } from '../../../shared/schemas/auth.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('hashes with Argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('wild goose chase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'wild goose chase')).toBe(true);
    expect(await verifyPassword(hash, 'wild goose chasE')).toBe(false);
  });

  it('answers false (after real work) when there is no user, and for a malformed stored hash', async () => {
    const start = performance.now();
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(performance.now() - start).toBeGreaterThan(10);
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });

  it('verifies hashes made by the fixtures (same library and parameters)', async () => {
    const hash = await new Argon2id().hash('fixture password');
    expect(await verifyPassword(hash, 'fixture password')).toBe(true);
  });
});

describe('password rules', () => {
  it('keeps a list of about a thousand common passwords of 8+ characters', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(1000);
    for (const p of COMMON_PASSWORDS) expect(p.length).toBeGreaterThanOrEqual(8);
  });

  it.each(['password', 'PASSWORD1', '12345678', 'qwertyuiop', 'iloveyou', 'Passw0rd'])('refuses the common password %s', (p) => {
    expect(isCommonPassword(p)).toBe(true);
    expect(NewPasswordSchema.safeParse(p).success).toBe(false);
  });

  it.each(['correct horse battery staple', 'x7#Lq9!z', '        ', 'Ünïcödé!'])('accepts %j (no composition rules)', (p) => {
    expect(NewPasswordSchema.safeParse(p).success).toBe(true);
  });

  it('normalizes emails: trimmed and lowercased', () => {
    expect(EmailSchema.parse('  Mixed.Case@Example.ORG ')).toBe('mixed.case@example.org');
    expect(EmailSchema.safeParse('two@@example.org').success).toBe(false);
  });
});
