/** The answer to `/pipeline status <name>`: each step's last run, and where the chain is stopped. */
import type { PipelineStep } from './config.js';

export type LastRun =
  | { kind: 'run'; status: string; conclusion: string | null; url: string; branch: string | null; at: string }
  | { kind: 'none' }
  | { kind: 'unreachable'; reason: string };

const ICON: Record<string, string> = {
  success: '✅',
  failure: '❌',
  timed_out: '❌',
  startup_failure: '❌',
  cancelled: '⏹️',
  skipped: '⏭️',
};

export function statusReply(
  pipeline: string,
  steps: PipelineStep[],
  runs: LastRun[],
  stopped: Array<{ repository: string; url: string }>,
): string {
  const lines = steps.map((s, i) => {
    const run = runs[i]!;
    const head = `${i + 1}. ${s.repository} \`${s.workflow}\`: `;
    if (run.kind === 'none') return `${head}no run yet`;
    if (run.kind === 'unreachable') return `${head}cannot be read (${run.reason})`;
    const state = run.status === 'completed' ? `${ICON[run.conclusion ?? ''] ?? '•'} ${run.conclusion ?? 'completed'}` : `⏳ ${run.status}`;
    return `${head}${state}, ${run.at}${run.branch ? ` on \`${run.branch}\`` : ''} (${run.url})`;
  });
  const stops = stopped.map((s) => `Stopped at ${s.repository}: ${s.url}`);
  return [`Pipeline **${pipeline}**, each step's last run:`, '', ...lines, ...(stops.length ? ['', ...stops] : [])].join('\n');
}
