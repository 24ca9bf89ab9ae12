/**
 * Where a policy decision runs. `decide()` is pure CPU work over one plain value; in the server it runs on
 * worker threads (Piscina: a pool of warm workers, and a task that is aborted kills its worker), so one
 * pathological pull request can neither block the event loop (webhooks, /healthz) nor run forever: past
 * its time budget the check ends `failure` "took too long". Tests and the CLI decide in-process.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { decide, type PolicyDecision, type PolicyInputs } from '../policy/decide.js';
import type { CheckOutput } from '../policy/report.js';
import type { Severity } from '../policy/types.js';

/** What the policy flow needs from a decision, as plain data that crosses a thread boundary. */
export type Verdict =
  | { kind: 'skip'; reason: 'no-config' | 'disabled' | 'already-checked' }
  | { kind: 'decided'; output: CheckOutput; findings: Array<{ rule: string; severity: Severity }> };

export type Decider = (inputs: PolicyInputs) => Promise<Verdict>;

export class DecisionTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(
      `the policy check took longer than ${budgetMs / 1000} s and was stopped (a file in this commit may be built to be slow to check)`,
    );
  }
}

export function verdictOf(decision: PolicyDecision): Verdict {
  if (decision.kind === 'skip') return { kind: 'skip', reason: decision.reason };
  const findings = decision.kind === 'checked' ? decision.result.findings.map((f) => ({ rule: f.rule, severity: f.severity })) : [];
  return { kind: 'decided', output: decision.output, findings };
}

export const decideInProcess: Decider = (inputs) => Promise.resolve(verdictOf(decide(inputs)));

export interface WorkerDecider extends Decider {
  close(): Promise<void>;
}

/** A pool of worker threads running `decide`; `budgetMs` bounds each decision. */
export function workerDecider({
  budgetMs,
  threads = Math.max(1, availableParallelism() - 1),
}: {
  budgetMs: number;
  threads?: number;
}): WorkerDecider {
  const pool = new Piscina<PolicyInputs, Verdict>({
    filename: new URL('./decide-worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  const run = async (inputs: PolicyInputs): Promise<Verdict> => {
    try {
      return await pool.run(inputs, { signal: AbortSignal.timeout(budgetMs) });
    } catch (err) {
      if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') throw new DecisionTimeout(budgetMs);
      throw err;
    }
  };
  return Object.assign(run, { close: () => pool.close({ force: true }) });
}
