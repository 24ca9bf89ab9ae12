/**
 * Logs via pino, with credentials redacted wherever Probot, Octokit or we might log them. LOG_FORMAT
 * `json` (the default) writes one JSON object a line; `pretty` goes through Probot's own formatter.
 * With SENTRY_DSN, every error-level line is also sent to Sentry (@sentry/node, loaded only then: Probot's
 * own wiring would download the SDK with npx at run time, which a container cannot do).
 */
import type { Writable } from 'node:stream';
import { getTransformStream } from '@probot/pino';
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
  'event.payload',
  'err.event.payload',
  'err.event.signature',
  'err.errors[*].event.payload',
  'err.aggregateErrors[*].event.payload',
];

export interface LoggerOptions {
  level?: string;
  format?: 'json' | 'pretty';
  sentryDsn?: string;
  /** Where lines go (stdout by default); tests pass a sink. */
  destination?: Writable;
}

export interface AppLogger {
  log: Logger;
  /** Sends what Sentry still holds; call before exiting. */
  flush: () => Promise<void>;
}

export async function createLogger(options: LoggerOptions = {}): Promise<AppLogger> {
  const sentry = options.sentryDsn ? await startSentry(options.sentryDsn) : undefined;
  const destination = options.destination ?? (pino.destination(1) as unknown as Writable);
  let stream: Writable = destination;
  if (options.format === 'pretty') {
    const transform = await getTransformStream({ logFormat: 'pretty' });
    transform.pipe(destination);
    stream = transform;
  }
  const log = pino(
    {
      name: 'shipshape',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(sentry && {
        hooks: {
          logMethod(args, method, level) {
            if (level >= 50) sentry.capture(args);
            method.apply(this, args);
          },
        },
      }),
    },
    stream,
  );
  return {
    log,
    flush: async () => {
      await sentry?.flush();
    },
  };
}

async function startSentry(dsn: string): Promise<{ capture(args: unknown[]): void; flush(): Promise<boolean> }> {
  const Sentry = await import('@sentry/node');
  Sentry.init({ dsn, normalizeDepth: 6, defaultIntegrations: false, integrations: [] });
  return {
    capture(args) {
      const [first, second] = args;
      const err = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
      const message = typeof first === 'string' ? first : typeof second === 'string' ? second : undefined;
      if (err instanceof Error) Sentry.captureException(err, message ? { extra: { msg: message } } : undefined);
      else Sentry.captureMessage(message ?? 'error logged', 'error');
    },
    flush: () => Sentry.flush(5_000),
  };
}
