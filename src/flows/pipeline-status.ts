/**
 * `/pipeline status <name>` in any issue or pull request of a repository that is a step of that pipeline:
 * acknowledged with 👀, then one reply with each step's last run, and 🚀 or 👎. The reply carries the
 * command's comment id, so a redelivered comment finds its answer among the issue's comments (listed,
 * not searched) and is not answered twice.
 */
import type { GitHub } from '../github/client.js';
import { comment, react, repoOf, unreact, type RepoRef } from '../github/issues.js';
import { findStopIssue, lastRun, readOrgConfig } from '../github/pipelines.js';
import { hasRepository, stopIssueTitle } from '../pipelines/config.js';
import { statusReply } from '../pipelines/status.js';
import { parseCommands } from '../release/commands.js';
import { done, refused, skipped, type JobOutcome } from './outcome.js';

export interface PipelineComment {
  repo: RepoRef;
  issue: number;
  comment: { id: number; body: string; login: string; createdAt?: string };
}

const answerMarker = (commentId: number) => `<!-- shipshape:answer ${commentId} -->`;

export const isPipelineCommand = (body: string) => parseCommands(body).some((c) => c.name === 'pipeline');

export async function handlePipelineComment(octokit: GitHub, event: PipelineComment): Promise<JobOutcome> {
  const command = parseCommands(event.comment.body).find((c) => c.name === 'pipeline');
  if (!command) return skipped('no-command');
  if (await alreadyAnswered(octokit, event)) return skipped('redelivered');
  const eyes = await react(octokit, event.repo, event.comment.id, 'eyes');
  if (!eyes.isNew) return skipped('redelivered');
  let outcome: { ok: boolean; reply: string };
  try {
    outcome = await answer(octokit, event, command.args);
  } catch (err) {
    outcome = { ok: false, reply: `the command failed: ${(err as Error).message}` };
  }
  await comment(octokit, event.repo, event.issue, `@${event.comment.login} ${outcome.reply}\n\n${answerMarker(event.comment.id)}`);
  await unreact(octokit, event.repo, event.comment.id, eyes.id);
  await react(octokit, event.repo, event.comment.id, outcome.ok ? 'rocket' : '-1');
  return outcome.ok ? done('answered') : refused('refused', { reply: outcome.reply });
}

async function alreadyAnswered(octokit: GitHub, event: PipelineComment): Promise<boolean> {
  const marker = answerMarker(event.comment.id);
  const since = event.comment.createdAt ? { since: event.comment.createdAt } : {};
  for await (const { data } of octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...repoOf(event.repo),
    issue_number: event.issue,
    per_page: 100,
    ...since,
  })) {
    if (data.some((c) => c.body?.includes(marker))) return true;
  }
  return false;
}

async function answer(octokit: GitHub, event: PipelineComment, args: string[]): Promise<{ ok: boolean; reply: string }> {
  const [sub, name] = args;
  if (sub !== 'status' || !name) return { ok: false, reply: 'usage: `/pipeline status <name>`.' };
  const org = await readOrgConfig(octokit, event.repo.owner);
  if (org.kind !== 'ok')
    return {
      ok: false,
      reply:
        org.kind === 'absent'
          ? `${event.repo.owner}/.github has no \`.github/shipshape.yml\`, so there are no pipelines.`
          : `the org configuration (${event.repo.owner}/.github) is invalid; its check names the problem.`,
    };
  const steps = org.config.pipelines[name];
  const known = Object.keys(org.config.pipelines);
  if (!steps)
    return {
      ok: false,
      reply: `there is no pipeline \`${name}\`${known.length ? `; the pipelines are ${known.map((k) => `\`${k}\``).join(', ')}` : ''}.`,
    };
  if (!hasRepository(steps, event.repo.repo))
    return {
      ok: false,
      reply: `${event.repo.repo} is not a step of pipeline \`${name}\`; ask in one of its repositories (${[...new Set(steps.map((s) => s.repository))].join(', ')}).`,
    };
  const runs = await Promise.all(steps.map((s) => lastRun(octokit, { owner: event.repo.owner, repo: s.repository }, s.workflow)));
  const stopped: Array<{ repository: string; url: string }> = [];
  for (const repository of new Set(steps.map((s) => s.repository))) {
    const issue = await findStopIssue(octokit, { owner: event.repo.owner, repo: repository }, stopIssueTitle(name, repository)).catch(
      () => undefined,
    );
    if (issue) stopped.push({ repository, url: issue.html_url });
  }
  return { ok: true, reply: statusReply(name, steps, runs, stopped) };
}
