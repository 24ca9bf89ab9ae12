/** JSON logs via pino, with credentials redacted wherever Probot, Octokit or we might log them. */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'err.request.headers.authorization',
  'err.response.headers["set-cookie"]',
  'request.headers.authorization',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'shipshape', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
