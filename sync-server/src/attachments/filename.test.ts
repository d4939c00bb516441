import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadType, normalizeMime, sanitizeFilename } from './filename.ts';

describe('sanitizeFilename', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\evil.exe', 'evil.exe'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it('never keeps CR/LF (header splitting)', () => {
    expect(sanitizeFilename('a\r\nSet-Cookie: x.txt')).toBe('a__Set-Cookie_ x.txt');
  });

  it('removes control characters, quotes and bidi overrides', () => {
    expect(sanitizeFilename('in"voice\u0000.pdf')).toBe('in_voice_.pdf');
    expect(sanitizeFilename('photo\u202egnp.exe')).toBe('photo_gnp.exe');
    expect(sanitizeFilename('a<b>c|d?e*f:g.txt')).toBe('a_b_c_d_e_f_g.txt');
  });

  it('keeps non-ASCII letters and emoji', () => {
    expect(sanitizeFilename('Übersicht – 日本語 📎.png')).toBe('Übersicht – 日本語 📎.png');
  });

  it('drops leading dots and trailing dots/spaces, never returns an empty name', () => {
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
    expect(sanitizeFilename('name. . ')).toBe('name');
    expect(sanitizeFilename('')).toBe('file');
    expect(sanitizeFilename('...')).toBe('file');
    expect(sanitizeFilename('/')).toBe('file');
    expect(sanitizeFilename(undefined)).toBe('file');
  });

  it('prefixes Windows device names', () => {
    expect(sanitizeFilename('CON')).toBe('_CON');
    expect(sanitizeFilename('nul.txt')).toBe('_nul.txt');
  });

  it('truncates to 200 UTF-8 bytes without splitting characters, keeping the extension', () => {
    const out = sanitizeFilename(`${'é'.repeat(300)}.jpeg`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(out.endsWith('.jpeg')).toBe(true);
    expect(out).not.toContain('\uFFFD');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Übersicht "Q1".pdf')).toBe(
      `attachment; filename="_bersicht _Q1_.pdf"; filename*=UTF-8''%C3%9Cbersicht%20_Q1_.pdf`,
    );
  });

  it('never lets a name break out of the header', () => {
    const header = contentDisposition('x";\r\nSet-Cookie: a=b');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
  });
});

describe('downloadType / normalizeMime', () => {
  it('serves only allowlisted types as themselves', () => {
    expect(downloadType('image/png')).toBe('image/png');
    expect(downloadType('application/pdf')).toBe('application/pdf');
    expect(downloadType('text/plain')).toBe('text/plain; charset=utf-8');
    expect(downloadType('text/html')).toBe('application/octet-stream');
    expect(downloadType('image/svg+xml')).toBe('application/octet-stream');
    expect(downloadType('application/javascript')).toBe('application/octet-stream');
  });

  it('reduces declared types to type/subtype', () => {
    expect(normalizeMime('Image/PNG; charset=x')).toBe('image/png');
    expect(normalizeMime('nonsense')).toBe('application/octet-stream');
    expect(normalizeMime(undefined)).toBe('application/octet-stream');
  });
});
