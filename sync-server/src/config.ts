// Environment -> typed config, parsed once at start-up. Every bad value gets a message saying what to do.
// main.ts is the only caller that passes process.env; tests build configs with loadConfig({...}).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_FRAME_BYTES, MIN_MAX_FRAME_BYTES } from '../../shared/protocol.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Unset = embedded PGlite persisted under `${dataDir}/pglite`. */
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: Uint8Array;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  allowedOrigins: string[];
  logLevel: LogLevel;
  nodeEnv: 'development' | 'production' | 'test';
  /** Largest WebSocket frame accepted, in bytes. */
  maxFrameBytes: number;
  /** Largest attachment upload, in bytes. */
  maxUploadBytes: number;
  /** Where the built PWA lives. */
  clientDir: string;
  /**
   * TRUST_PROXY=1: exactly one reverse proxy sits in front and sets X-Forwarded-For/-Proto, so the client
   * address for throttling is its last X-Forwarded-For entry. Off by default: without a proxy that rewrites
   * the header, any client could forge it and dodge per-IP limits.
   */
  trustProxy: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const intInRange = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const envSchema = z.object({
  PORT: intInRange('PORT', 0, 65535).default(8787),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded database)')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters (try: openssl rand -base64 48)').optional(),
  ACCESS_TOKEN_TTL: intInRange('ACCESS_TOKEN_TTL', 1, 7 * 24 * 3600).default(3600),
  REFRESH_TOKEN_TTL: intInRange('REFRESH_TOKEN_TTL', 1, 365 * 24 * 3600).default(30 * 24 * 3600),
  ALLOWED_ORIGINS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  MAX_FRAME_BYTES: intInRange('MAX_FRAME_BYTES', MIN_MAX_FRAME_BYTES, 64 * 1024 * 1024).default(DEFAULT_MAX_FRAME_BYTES),
  MAX_UPLOAD_BYTES: intInRange('MAX_UPLOAD_BYTES', 1, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
  CLIENT_DIR: z.string().trim().min(1).default('./dist/client'),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false'], { error: 'TRUST_PROXY must be 1 or 0' }).default('0'),
});

function parseOrigins(raw: string): string[] {
  const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`ALLOWED_ORIGINS: "${origin}" is not a URL; use a comma-separated list like https://app.example.com,http://localhost:5173`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`ALLOWED_ORIGINS: "${origin}" must be an origin only (scheme://host[:port]), without a path`);
    }
  }
  return origins.map((o) => new URL(o).origin);
}

/** The embedded default keeps a generated secret in DATA_DIR so tokens survive restarts. */
function secretFromDataDir(dataDir: string): Uint8Array {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  let jwtSecret: Uint8Array;
  if (e.JWT_SECRET) {
    jwtSecret = new TextEncoder().encode(e.JWT_SECRET);
  } else if (e.NODE_ENV === 'production') {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production (at least 32 characters; try: openssl rand -base64 48)');
  } else {
    jwtSecret = secretFromDataDir(dataDir);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    jwtSecret,
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    allowedOrigins: parseOrigins(e.ALLOWED_ORIGINS),
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    clientDir: resolve(e.CLIENT_DIR),
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
  };
}
