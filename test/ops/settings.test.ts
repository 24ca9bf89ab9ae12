/**
 * One place reads the environment (ops/settings.ts), and it lists every variable it reads: the README's
 * table, docs/deploy.md's table and .env.example name exactly those, so no setting is undocumented and no
 * documented one is ignored.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENVIRONMENT, readSettings } from '../../src/ops/settings.js';
import { repoRoot } from '../helpers/paths.js';
import { testPrivateKey } from '../helpers/server.js';

const read = (path: string) => readFileSync(resolve(repoRoot, path), 'utf8');

/** The backticked upper-case names in the first column of the table under `header`. */
function tableNames(markdown: string, header: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(line.trim().split('|')[1]!);
  }
  return rows.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

it("the README's environment table names every variable the server reads, and no other", () => {
  expect(sorted(tableNames(read('README.md'), '| variable | meaning |'))).toEqual(sorted(ENVIRONMENT));
});

it("docs/deploy.md's environment table does too", () => {
  expect(sorted(tableNames(read('docs/deploy.md'), '| variable | required | meaning |'))).toEqual(sorted(ENVIRONMENT));
});

it('.env.example shows each of them (set or commented out)', () => {
  const names = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
  expect(sorted(names)).toEqual(sorted(ENVIRONMENT));
});

it('reads every setting into one value, with the documented defaults', () => {
  const settings = readSettings({ APP_ID: '7', PRIVATE_KEY: testPrivateKey, WEBHOOK_SECRET: 'hook' });
  expect(settings).toMatchObject({
    appId: 7,
    port: 3000,
    host: '0.0.0.0',
    redeliveryIntervalMs: 600_000,
    queueLimit: 500,
    checkTimeoutMs: 30_000,
    stateKeys: ['hook'],
    appSlug: 'shipshape',
    auditPeriodMs: 24 * 3_600_000,
    auditBurstPerHour: 600,
    environmentWatchMs: 30 * 60_000,
  });
  expect(settings.queueLockMs).toBeUndefined();
  const tuned = readSettings({
    APP_ID: '7',
    PRIVATE_KEY: testPrivateKey,
    WEBHOOK_SECRET: 'hook',
    STATE_SECRETS: 'new,old',
    QUEUE_LOCK_MS: '2000',
    AUDIT_PERIOD_HOURS: '0',
    AUDIT_ENVIRONMENT_WATCH_MINUTES: '5',
    APP_SLUG: 'shipshape-staging',
  });
  expect(tuned).toMatchObject({
    stateKeys: ['new', 'old'],
    queueLockMs: 2000,
    auditPeriodMs: 0,
    environmentWatchMs: 300_000,
    appSlug: 'shipshape-staging',
  });
});

it('a setting that is not a number is named with what it read', () => {
  expect(() => readSettings({ APP_ID: '7', PRIVATE_KEY: testPrivateKey, WEBHOOK_SECRET: 'h', AUDIT_PERIOD_HOURS: 'daily' })).toThrow(
    'AUDIT_PERIOD_HOURS must be a number, not "daily"',
  );
});
