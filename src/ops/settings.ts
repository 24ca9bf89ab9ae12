/**
 * The server's settings, read once from the environment into one typed value: the only place the
 * server reads `process.env` (the composition root, src/server.ts, hands the values on). What the app
 * cannot run without (APP_ID, a private key, WEBHOOK_SECRET) is checked here, so `npm start` stops with
 * one line naming what is missing instead of starting Probot's setup wizard or printing a stack trace.
 * ENVIRONMENT lists every variable; a test holds the README's table to it.
 */
import { createPrivateKey } from 'node:crypto';
import { getPrivateKey } from '@probot/get-private-key';
import { DEFAULT_APP_SLUG } from '../audit/audit.js';
import type { StateKeys } from '../release/state.js';
import { stateKeys } from './state-keys.js';

/**
 * Every environment variable the server reads. SLACK_WEBHOOK_URL is the default name of the variable a
 * repository's `notify.slack.webhook-env` names: read when a notification is sent, by that name.
 */
export const ENVIRONMENT = [
  'APP_ID',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PATH',
  'WEBHOOK_SECRET',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'REDIS_URL',
  'STATE_SECRETS',
  'REDELIVERY_INTERVAL_MINUTES',
  'REDELIVERY_MAX_ATTEMPTS',
  'METRICS_PORT',
  'WEBHOOK_ANSWER_WITHIN_MS',
  'QUEUE_LIMIT',
  'QUEUE_LOCK_MS',
  'CHECK_TIMEOUT_SECONDS',
  'SLACK_WEBHOOK_URL',
  'AUDIT_PERIOD_HOURS',
  'AUDIT_BURST_PER_HOUR',
  'AUDIT_ENVIRONMENT_WATCH_MINUTES',
  'APP_SLUG',
  'SENTRY_DSN',
  'GHE_HOST',
  'GHE_PROTOCOL',
] as const;

export interface Settings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** REST base URL: api.github.com, or GHE_PROTOCOL://GHE_HOST/api/v3. */
  baseUrl: string;
  host: string;
  port: number;
  /** Serve /metrics on its own port, and not on the webhook port (off when absent). */
  metricsPort?: number;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  sentryDsn?: string;
  redisUrl?: string;
  /** Redeliver failed deliveries every so often (off when 0). */
  redeliveryIntervalMs: number;
  /** A delivery that failed this many times is left alone (and counted). */
  redeliveryMaxAttempts: number;
  /** Without Redis: how long a webhook waits for its job before answering 503 (GitHub gives up at 10 s). */
  answerWithinMs: number;
  /** Without Redis: jobs waiting beyond this many are refused with 503, to be redelivered. */
  queueLimit: number;
  /** A policy decision past this budget is stopped and the check fails "took too long". */
  checkTimeoutMs: number;
  /** With Redis: how long a replica holds a job before another may take it over (BullMQ's default when absent). */
  queueLockMs?: number;
  /** Keys of the release state in issue bodies, newest first: STATE_SECRETS, else WEBHOOK_SECRET. */
  stateKeys: StateKeys;
  /** The app whose protection rule counts as gating production. */
  appSlug: string;
  /** Each repository's settings are audited once a period (off when 0). */
  auditPeriodMs: number;
  /** Audits an hour after an installation on many repositories at once. */
  auditBurstPerHour: number;
  /** How often environments are compared with the last look (off when 0). */
  environmentWatchMs: number;
}

export class StartupError extends Error {}

const HINT =
  'Copy .env.example to .env and fill it in (docs/deploy.md explains each value), or run `npm run demo`, which needs no credentials.';

/** The settings, or a StartupError whose message is the one line to print. */
export function readSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const missing = [
    !env.APP_ID ? 'APP_ID' : undefined,
    !env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH ? 'PRIVATE_KEY or PRIVATE_KEY_PATH' : undefined,
    !env.WEBHOOK_SECRET ? 'WEBHOOK_SECRET' : undefined,
  ].filter(Boolean);
  if (missing.length) throw new StartupError(`cannot start: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set. ${HINT}`);
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0)
    throw new StartupError(`cannot start: APP_ID must be the app's numeric id, not "${env.APP_ID}". ${HINT}`);
  const privateKey = readPrivateKey(env, cwd);
  // Probot types LOG_FORMAT as 'json' | 'pretty'; the environment can hold anything.
  const format: string = env.LOG_FORMAT || 'json';
  const logFormat = format === 'json' || format === 'pretty' ? format : undefined;
  if (!logFormat) throw new StartupError(`cannot start: LOG_FORMAT must be json or pretty, not "${env.LOG_FORMAT}".`);
  const minutes = numberOr(env.REDELIVERY_INTERVAL_MINUTES, 10, 'REDELIVERY_INTERVAL_MINUTES');
  return {
    appId,
    privateKey,
    webhookSecret: env.WEBHOOK_SECRET!,
    baseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3` : 'https://api.github.com',
    host: env.HOST || '0.0.0.0',
    port: numberOr(env.PORT, 3000, 'PORT'),
    metricsPort: env.METRICS_PORT ? numberOr(env.METRICS_PORT, 0, 'METRICS_PORT') : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    logFormat,
    sentryDsn: env.SENTRY_DSN || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redeliveryIntervalMs: minutes * 60_000,
    redeliveryMaxAttempts: numberOr(env.REDELIVERY_MAX_ATTEMPTS, 5, 'REDELIVERY_MAX_ATTEMPTS'),
    answerWithinMs: numberOr(env.WEBHOOK_ANSWER_WITHIN_MS, 8_000, 'WEBHOOK_ANSWER_WITHIN_MS'),
    queueLimit: numberOr(env.QUEUE_LIMIT, 500, 'QUEUE_LIMIT'),
    checkTimeoutMs: numberOr(env.CHECK_TIMEOUT_SECONDS, 30, 'CHECK_TIMEOUT_SECONDS') * 1000,
    queueLockMs: numberOr(env.QUEUE_LOCK_MS, 0, 'QUEUE_LOCK_MS') || undefined,
    stateKeys: stateKeys(env),
    appSlug: env.APP_SLUG || DEFAULT_APP_SLUG,
    auditPeriodMs: numberOr(env.AUDIT_PERIOD_HOURS, 24, 'AUDIT_PERIOD_HOURS') * 3_600_000,
    // `|| 600`: 0 an hour would never audit a large installation's later repositories (as before: 0 meant the default).
    auditBurstPerHour: numberOr(env.AUDIT_BURST_PER_HOUR, 600, 'AUDIT_BURST_PER_HOUR') || 600,
    environmentWatchMs: numberOr(env.AUDIT_ENVIRONMENT_WATCH_MINUTES, 30, 'AUDIT_ENVIRONMENT_WATCH_MINUTES') * 60_000,
  };
}

function readPrivateKey(env: NodeJS.ProcessEnv, cwd: string): string {
  const source = env.PRIVATE_KEY ? 'PRIVATE_KEY' : `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`;
  let pem: string;
  try {
    pem = getPrivateKey({ env: { PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH }, cwd }) ?? '';
  } catch (err) {
    const reason = /does not exist|not exists|ENOENT/i.test((err as Error).message) ? 'no such file' : 'not a PEM private key';
    throw new StartupError(`cannot start: ${source}: ${reason}. ${HINT}`);
  }
  try {
    createPrivateKey(pem);
  } catch {
    throw new StartupError(`cannot start: ${source}: not a PEM private key (download one from the app's settings page). ${HINT}`);
  }
  return pem;
}

function numberOr(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new StartupError(`cannot start: ${name} must be a number, not "${value}".`);
  return n;
}
