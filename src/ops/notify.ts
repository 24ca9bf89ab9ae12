/** Deployment notifications to Slack (an incoming webhook whose URL is read from the environment). */
import type { ShipshapeConfig } from '../config/schema.js';

export async function notifySlack(
  config: ShipshapeConfig,
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<'sent' | 'not-configured'> {
  const variable = config.notify.slack['webhook-env'];
  const url = variable ? env[variable] : undefined;
  if (!url) return 'not-configured';
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (!res.ok) throw new Error(`Slack answered ${res.status}`);
  return 'sent';
}
