import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-config-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'x'.repeat(32);

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: tempDataDir(), JWT_SECRET: SECRET, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: tempDataDir(), JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: undefined,
      accessTokenTtl: 3600,
      refreshTokenTtl: 30 * 24 * 3600,
      allowedOrigins: [],
      logLevel: 'info',
      nodeEnv: 'development',
    });
  });

  it('parses every variable it is given', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u:p@db:5432/app',
      DATA_DIR: tempDataDir(),
      JWT_SECRET: SECRET,
      ACCESS_TOKEN_TTL: '2',
      REFRESH_TOKEN_TTL: '5',
      ALLOWED_ORIGINS: 'https://app.example.com/, http://localhost:5173',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u:p@db:5432/app',
      accessTokenTtl: 2,
      refreshTokenTtl: 5,
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      logLevel: 'debug',
      nodeEnv: 'test',
    });
    expect(new TextDecoder().decode(config.jwtSecret)).toBe(SECRET);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATA_DIR: tempDataDir(), JWT_SECRET: SECRET, PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8787, databaseUrl: undefined });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: PORT must be a whole number'],
    [{ PORT: '65536' }, 'PORT: PORT must be between 0 and 65535'],
    [{ PORT: '-1' }, 'PORT: PORT must be a whole number'],
    [{ HOST: '   ' }, 'HOST: HOST must not be empty'],
    [{ DATABASE_URL: 'mysql://db/app' }, 'DATABASE_URL: DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded database)'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET: JWT_SECRET must be at least 32 characters (try: openssl rand -base64 48)'],
    [{ ACCESS_TOKEN_TTL: '0' }, 'ACCESS_TOKEN_TTL: ACCESS_TOKEN_TTL must be between 1 and 604800'],
    [{ ACCESS_TOKEN_TTL: '1h' }, 'ACCESS_TOKEN_TTL: ACCESS_TOKEN_TTL must be a whole number'],
    [{ REFRESH_TOKEN_TTL: '1.5' }, 'REFRESH_TOKEN_TTL: REFRESH_TOKEN_TTL must be a whole number'],
    [{ REFRESH_TOKEN_TTL: '99999999999' }, 'REFRESH_TOKEN_TTL: REFRESH_TOKEN_TTL must be between 1 and 31536000'],
    [{ ALLOWED_ORIGINS: 'app.example.com' }, 'ALLOWED_ORIGINS: "app.example.com" is not a URL; use a comma-separated list'],
    [{ ALLOWED_ORIGINS: 'https://app.example.com/login' }, 'ALLOWED_ORIGINS: "https://app.example.com/login" must be an origin only (scheme://host[:port]), without a path'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: '],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV: '],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY: TRUST_PROXY must be 1 or 0'],
    [{ MAX_FRAME_BYTES: '10' }, 'MAX_FRAME_BYTES: MAX_FRAME_BYTES must be between 1024 and 67108864'],
    [{ MAX_UPLOAD_BYTES: 'lots' }, 'MAX_UPLOAD_BYTES: MAX_UPLOAD_BYTES must be a whole number'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(errorOf(env).message).toContain(message);
  });

  it('names the allowed values for enum variables', () => {
    expect(errorOf({ LOG_LEVEL: 'verbose' }).message).toMatch(/LOG_LEVEL: .*"info"/);
    expect(errorOf({ NODE_ENV: 'staging' }).message).toMatch(/NODE_ENV: .*"production"/);
  });

  it('reports every bad value at once', () => {
    const message = errorOf({ PORT: 'x', HOST: ' ', ACCESS_TOKEN_TTL: '0' }).message;
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  PORT: PORT must be a whole number',
      '  HOST: HOST must not be empty',
      '  ACCESS_TOKEN_TTL: ACCESS_TOKEN_TTL must be between 1 and 604800',
    ]);
  });

  it('refuses to start in production without JWT_SECRET', () => {
    const dataDir = tempDataDir();
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(
      new ConfigError('JWT_SECRET is required when NODE_ENV=production (at least 32 characters; try: openssl rand -base64 48)'),
    );
    // Nothing was generated behind the operator's back.
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: SECRET }).nodeEnv).toBe('production');
  });

  it('outside production, generates a secret once, keeps it in DATA_DIR (mode 600) and reuses it', () => {
    const dataDir = join(tempDataDir(), 'nested');
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(new TextDecoder().decode(first.jwtSecret)).toBe(readFileSync(file, 'utf8').trim());
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toEqual(first.jwtSecret);
    expect(loadConfig({ DATA_DIR: tempDataDir() }).jwtSecret).not.toEqual(first.jwtSecret);
  });
});
