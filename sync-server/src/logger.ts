import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** Structured JSON logs on stdout. Never log tokens, passwords or request bodies. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'fieldboard' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.refresh_token'], remove: true },
  });
}
