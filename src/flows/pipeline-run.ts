/**
 * A completed workflow run: gather (org config, stop issue, next step's workflow, dispatch record) →
 * pure decision per pipeline the workflow is a step of → carry out (dispatch, stop issue, Slack).
 */
import type { ShipshapeConfig } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import { comment, ensureLabel, updateIssue } from '../github/issues.js';
import {
  claimDispatch,
  dispatch,
  findDispatchRecord,
  findStopIssue,
  openStopIssue,
  readOrgConfig,
  repositoryFacts,
  settleDispatch,
  STOP_LABEL,
  wantedFiles,
} from '../github/pipelines.js';
import { notifySlack } from '../ops/notify.js';
import type { OnceStore } from '../ops/once.js';
import { stepsOf, stopIssueTitle, type PipelineStep } from '../pipelines/config.js';
import {
  decide,
  mayMovePipeline,
  stopDecision,
  type CompletedRun,
  type PipelineDecision,
  type PipelineEffect,
} from '../pipelines/decide.js';
import { structuralProblems, type RepositoryFacts } from '../pipelines/validate.js';
import { done, skipped, type JobOutcome } from './outcome.js';

export interface PipelineOptions {
  /** With REDIS_URL: an atomic claim per upstream run, shared by replicas. */
  once?: OnceStore;
  env?: NodeJS.ProcessEnv;
}

const ONCE_TTL_SECONDS = 30 * 24 * 3600;

/** What was done, per pipeline the run is a step of, in `detail.summaries` (for the log). */
export async function handleWorkflowRun(octokit: GitHub, run: CompletedRun, options: PipelineOptions = {}): Promise<JobOutcome> {
  // Most runs are pull requests' CI, or cancelled: they cost no request.
  if (!mayMovePipeline(run)) return skipped('not-a-pipeline-event');
  const org = await readOrgConfig(octokit, run.owner);
  // An invalid org file is reported by the check of the .github repository.
  if (org.kind !== 'ok') return skipped(org.kind === 'absent' ? 'no-org-config' : 'invalid-org-config');
  const pipelines = org.config.pipelines;
  const matches = stepsOf(pipelines, run.repository, run.workflow);
  if (matches.length === 0) return skipped('not-a-step');
  const problems = structuralProblems(pipelines);
  const nextSteps = matches.map((m) => pipelines[m.pipeline]![m.index + 1]).filter((s): s is PipelineStep => !!s);
  const facts =
    run.conclusion === 'success' ? await repositoryFacts(octokit, run.owner, wantedFiles(nextSteps)) : new Map<string, RepositoryFacts>();
  const here = { owner: run.owner, repo: run.repository };

  const summaries: string[] = [];
  for (const { pipeline, index } of matches) {
    const steps = pipelines[pipeline]!;
    const next = steps[index + 1];
    const stopIssue = await findStopIssue(octokit, here, stopIssueTitle(pipeline, run.repository));
    const record =
      next && run.conclusion === 'success'
        ? await findDispatchRecord(octokit, { r: here, sha: run.sha, pipeline, runId: run.id, attempt: run.attempt })
        : undefined;
    // A claimed but unsettled record is an attempt that died mid-way: not started again (at most once).
    const dispatched = record && record.state !== 'failed' ? { url: record.url } : undefined;
    const decision = decide(pipeline, steps, index, run, {
      problems,
      stopIssue,
      next: next && facts.get(next.repository.toLowerCase()),
      dispatched,
    });
    summaries.push(await carryOut(octokit, run, pipeline, steps, index, decision, org.config, options));
  }
  return done('handled', { summaries });
}

async function carryOut(
  octokit: GitHub,
  run: CompletedRun,
  pipeline: string,
  steps: PipelineStep[],
  index: number,
  decision: PipelineDecision,
  config: ShipshapeConfig,
  options: PipelineOptions,
): Promise<string> {
  let effects = decision.effects;
  let summary = decision.summary;
  const start = effects.find((e): e is Extract<PipelineEffect, { kind: 'dispatch' }> => e.kind === 'dispatch');
  if (start) {
    const outcome = await startNext(octokit, run, pipeline, start, options);
    if (outcome.kind === 'skipped') return `${summary} (already started, per the shared claim)`;
    if (outcome.kind === 'refused') {
      const open = effects.find((e) => e.kind === 'recover');
      const stopped = stopDecision(
        pipeline,
        steps,
        index,
        run,
        open?.kind === 'recover' ? { number: open.issue } : undefined,
        outcome.reason,
      );
      effects = stopped.effects;
      summary = stopped.summary;
    } else {
      effects = effects.filter((e) => e !== start);
      summary += outcome.url ? ` (${outcome.url})` : '';
    }
  }
  const here = { owner: run.owner, repo: run.repository };
  for (const effect of effects) {
    if (effect.kind === 'stop') {
      if (effect.issue) {
        await comment(octokit, here, effect.issue, effect.update);
        await updateIssue(octokit, here, effect.issue, { body: effect.body });
      } else {
        await ensureLabel(octokit, here, STOP_LABEL, 'b60205', 'A Shipshape pipeline stopped here');
        await openStopIssue(octokit, here, effect.title, effect.body);
      }
    } else if (effect.kind === 'recover') {
      await comment(octokit, here, effect.issue, effect.comment);
      await updateIssue(octokit, here, effect.issue, { state: 'closed', state_reason: 'completed' });
    } else if (effect.kind === 'notify') {
      try {
        await notifySlack(config, effect.text, options.env);
      } catch (err) {
        summary += ` (Slack: ${(err as Error).message})`;
      }
    }
  }
  return summary;
}

type StartOutcome = { kind: 'started'; url?: string } | { kind: 'skipped' } | { kind: 'refused'; reason: string };

/**
 * Start the next step exactly once: the shared Redis claim (when configured), then the record on the
 * upstream commit, then the dispatch. A refusal by GitHub (4xx: not installed, inputs, no trigger) stops
 * the chain with GitHub's reason; a server error is thrown so the delivery counts as failed and is retried.
 */
async function startNext(
  octokit: GitHub,
  run: CompletedRun,
  pipeline: string,
  effect: Extract<PipelineEffect, { kind: 'dispatch' }>,
  options: PipelineOptions,
): Promise<StartOutcome> {
  const here = { owner: run.owner, repo: run.repository };
  const target = `${effect.repository}/${effect.workflow}`;
  const key = `pipeline:${run.owner}/${run.repository}#${run.id}/${run.attempt}:${pipeline}`;
  if (options.once && !(await options.once.claim(key, ONCE_TTL_SECONDS))) return { kind: 'skipped' };
  let recordId: number;
  try {
    recordId = await claimDispatch(octokit, { r: here, sha: run.sha, pipeline, runId: run.id, attempt: run.attempt }, target);
  } catch (err) {
    await options.once?.release(key);
    throw err;
  }
  try {
    const { url } = await dispatch(octokit, { owner: run.owner, repo: effect.repository }, effect.workflow, effect.ref, effect.inputs);
    await settleDispatch(octokit, here, recordId, { ok: true, target, url });
    return { kind: 'started', url };
  } catch (err) {
    await options.once?.release(key);
    const e = err as { status?: number; message?: string };
    const reason =
      e.status === 404
        ? `GitHub answered 404 for ${target}: the repository or workflow does not exist, or Shipshape is not installed on ${run.owner}/${effect.repository}`
        : `GitHub refused to start ${target} (${e.status}): ${e.message ?? 'no message'}`;
    await settleDispatch(octokit, here, recordId, { ok: false, target, reason }).catch(() => undefined);
    if (e.status && e.status >= 400 && e.status < 500) return { kind: 'refused', reason };
    throw err;
  }
}
