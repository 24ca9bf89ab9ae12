/** A Probot instance as the handler tests need it: token auth, no retries or throttling, silent logs. */
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppOptions } from '../../src/app.js';
import { keysFrom } from '../../src/ops/state-keys.js';

export const TEST_STATE_SECRET = 'test-state-secret';

export function testProbot(stateSecrets: string[] = [TEST_STATE_SECRET], options: Omit<AppOptions, 'stateKeys'> = {}) {
  const { appFn, shipshape } = createApp({ ...options, stateKeys: keysFrom(stateSecrets) });
  const probot = new Probot({
    githubToken: 'test',
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    // Function form: Probot passes its own `throttle` options, which would replace an object default.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
  void probot.load(appFn);
  /** Deliver a webhook and wait for the background work it queued. */
  const deliver = async (name: string, payload: unknown, id = `${Math.random()}`) => {
    await probot.receive({ id, name, payload } as never);
    await shipshape.queue.idle();
  };
  return { probot, deliver, shipshape };
}
