/**
 * `npm start`: the production server, configured from the environment (and `.env` when present). What it
 * cannot run without is named in one line, and it exits 1 — before the server's modules are even loaded.
 */
import { existsSync } from 'node:fs';
import { readSettings, StartupError, type Settings } from './ops/settings.js';

if (existsSync('.env')) process.loadEnvFile('.env');
let settings: Settings;
try {
  settings = readSettings(process.env);
} catch (err) {
  if (!(err instanceof StartupError)) throw err;
  process.stderr.write(`shipshape: ${err.message}\n`);
  process.exit(1);
}
const { createLogger } = await import('./ops/logger.js');
const { startShipshape } = await import('./server.js');
const { log, flush } = await createLogger({ level: settings.logLevel, format: settings.logFormat, sentryDsn: settings.sentryDsn });
const running = await startShipshape(settings, log);
const stop = async (signal: string) => {
  log.info({ signal }, 'stopping: finishing running jobs');
  await running.close();
  await flush();
  process.exit(0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
