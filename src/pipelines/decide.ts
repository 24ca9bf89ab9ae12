/**
 * What a completed workflow run means for one pipeline it is a step of: start the next step, stop the
 * chain (open or update the stop issue), or close the stop issue on recovery. Pure: the flow gathers the
 * world (the open stop issue, the next repository's workflow files, whether this run already started
 * the next step) and carries out the returned effects.
 */
import { stopIssueTitle, type PipelineStep } from './config.js';
import { render, type Upstream } from './template.js';
import { dispatchTarget, inputMismatch, type PipelineProblem, type RepositoryFacts } from './validate.js';

export interface CompletedRun {
  owner: string;
  repository: string;
  /** The workflow's file name, e.g. `collect.yml`. */
  workflow: string;
  id: number;
  attempt: number;
  url: string;
  sha: string;
  conclusion: string | null;
  branch: string | null;
  defaultBranch: string;
  event: string;
}

export interface StepWorld {
  /** Problems of the configuration as a whole (cycles, bad names); those of this pipeline stop it. */
  problems: PipelineProblem[];
  /** The open stop issue of this pipeline in the run's repository. */
  stopIssue?: { number: number };
  /** What GitHub says about the next step's repository (absent for the last step). */
  next?: RepositoryFacts;
  /** This very run (and attempt) already started the next step: a redelivered event. */
  dispatched?: { url?: string };
}

export type PipelineEffect =
  | { kind: 'dispatch'; repository: string; workflow: string; ref: string; inputs: Record<string, string> }
  | { kind: 'stop'; repository: string; title: string; body: string; update: string; issue?: number }
  | { kind: 'recover'; repository: string; issue: number; comment: string }
  | { kind: 'notify'; text: string };

export interface PipelineDecision {
  summary: string;
  effects: PipelineEffect[];
}

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

/** Only runs on the repository's default branch, not for pull requests, move a pipeline. */
export const onDefaultBranch = (run: CompletedRun) =>
  run.event !== 'pull_request' && run.event !== 'pull_request_target' && run.branch === run.defaultBranch;

/** Whether a run can start or stop anything: a success or a failure on the default branch. */
export const mayMovePipeline = (run: CompletedRun) =>
  onDefaultBranch(run) && (run.conclusion === 'success' || FAILED.has(run.conclusion ?? ''));

export function decide(pipeline: string, steps: PipelineStep[], index: number, run: CompletedRun, world: StepWorld): PipelineDecision {
  const step = steps[index]!;
  const where = `${pipeline} step ${index + 1} (${run.repository}/${run.workflow})`;
  if (!onDefaultBranch(run)) {
    return { summary: `${where}: run on \`${run.branch ?? '?'}\`, not the default branch; nothing to do`, effects: [] };
  }
  const stop = (reason: string) => stopDecision(pipeline, steps, index, run, world.stopIssue, reason);

  if (run.conclusion && FAILED.has(run.conclusion)) return stop(`the run ${run.url} ended \`${run.conclusion}\``);
  if (run.conclusion !== 'success')
    return { summary: `${where}: run ended \`${run.conclusion ?? 'without a conclusion'}\`; the chain waits`, effects: [] };

  const own = world.problems.filter((p) => p.pipeline === pipeline && p.severity === 'error');
  if (own.length) return stop(`the pipeline's configuration is invalid: ${own.map((p) => p.message).join('; ')}`);

  const recovered: PipelineEffect[] = world.stopIssue
    ? [
        {
          kind: 'recover',
          repository: run.repository,
          issue: world.stopIssue.number,
          comment: `Recovered: ${run.url} succeeded${index + 1 < steps.length ? `, and the chain goes on to ${steps[index + 1]!.repository}` : ''}. Closing.`,
        },
        { kind: 'notify', text: `:white_check_mark: Pipeline ${pipeline} recovered at ${run.repository} (${step.workflow}) ${run.url}` },
      ]
    : [];

  const next = steps[index + 1];
  if (!next) return { summary: `${where}: the last step succeeded; pipeline ${pipeline} is complete`, effects: recovered };
  if (world.dispatched)
    return {
      summary: `${where}: already started ${next.repository}/${next.workflow}${world.dispatched.url ? ` (${world.dispatched.url})` : ''}; not again`,
      effects: recovered,
    };

  const target = dispatchTarget(run.owner, next, world.next);
  if (!target.ok) return stop(`cannot start the next step, ${next.repository}/${next.workflow}: ${target.reason}`);
  const { missing } = inputMismatch(next, target.declared);
  if (missing.length)
    return stop(
      `cannot start the next step, ${next.repository}/${next.workflow}: it requires ${missing.map((m) => `\`${m}\``).join(', ')}, which the pipeline does not give`,
    );

  const upstream: Upstream = { repository: `${run.owner}/${run.repository}`, sha: run.sha, run_id: String(run.id), run_url: run.url };
  // Only inputs the workflow declares: GitHub refuses a dispatch with any other.
  const inputs = Object.fromEntries(
    Object.entries(next.inputs ?? {})
      .filter(([name]) => name in target.declared)
      .map(([name, value]) => [name, render(value, upstream)]),
  );
  return {
    summary: `${where}: succeeded; starting ${next.repository}/${next.workflow}`,
    // The dispatch comes first: when GitHub refuses it, the stop issue stays open (see stopDecision).
    effects: [{ kind: 'dispatch', repository: next.repository, workflow: next.workflow, ref: target.ref, inputs }, ...recovered],
  };
}

/** Stop the chain at this run's step: open the stop issue, or add to the one already open. */
export function stopDecision(
  pipeline: string,
  steps: PipelineStep[],
  index: number,
  run: CompletedRun,
  stopIssue: { number: number } | undefined,
  reason: string,
): PipelineDecision {
  return {
    summary: `${pipeline} step ${index + 1} (${run.repository}/${run.workflow}): stopped (${reason})`,
    effects: [
      {
        kind: 'stop',
        repository: run.repository,
        title: stopIssueTitle(pipeline, run.repository),
        body: stopBody(pipeline, steps, index, run, reason),
        update: `Still stopped: ${reason}\n\nRun: ${run.url}`,
        issue: stopIssue?.number,
      },
      { kind: 'notify', text: `:x: Pipeline ${pipeline} stopped at ${run.repository} (${steps[index]!.workflow}): ${reason} ${run.url}` },
    ],
  };
}

function stopBody(pipeline: string, steps: PipelineStep[], index: number, run: CompletedRun, reason: string): string {
  const list = steps.map((s, i) => `${i + 1}. ${s.repository} \`${s.workflow}\`${i === index ? ' ← stopped here' : ''}`).join('\n');
  return [
    `Pipeline **${pipeline}** stopped at **${run.repository}** (step ${index + 1} of ${steps.length}, \`${run.workflow}\`).`,
    '',
    `**Why:** ${reason}`,
    '',
    `**Run:** ${run.url} (commit ${run.sha.slice(0, 7)})`,
    '',
    '**Steps:**',
    '',
    list,
    '',
    'Shipshape closes this issue when this step next succeeds and the chain goes on. `/pipeline status ' +
      pipeline +
      "` shows each step's last run.",
  ].join('\n');
}
