// The one logger type and how it is made: pino, with credentials redacted.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'credentials', '*.apiKey'] });
}
