/**
 * Slash-commands in comments: on a release issue they run the release (approve, deploy, verify, …);
 * `/release <version|bump>` on any issue tags the default branch and opens the release.
 * Every command is acknowledged with 👀, then 🚀 (done) or 👎 (refused or failed), and one reply.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { createDeployment, busyDeployment, dispatchWorkflow } from '../github/deployments.js';
import { describeError } from '../github/errors.js';
import { closeMilestone, comment, getIssue, react, unreact, type IssueRef } from '../github/issues.js';
import { createTag, defaultBranchHead, ensureRelease } from '../github/repo-refs.js';
import { rolesOf } from '../github/roles.js';
import { notifySlack } from '../ops/notify.js';
import { swallowed } from '../ops/swallowed.js';
import type { UserBudget } from '../ops/user-budget.js';
import { parseCommands, type Command } from '../release/commands.js';
import { releaseNotesOf } from '../release/issue-body.js';
import {
  announcement,
  decide,
  productionOf,
  releaseRefusal,
  STALE_REPLY,
  TAMPERED_REPLY,
  type Actor,
  type Effect,
  type World,
} from '../release/machine.js';
import { markHandled, type ReleaseState } from '../release/state.js';
import { parseVersion } from '../core/version.js';
import { newestRelease, nextVersion, tagFor, versionFromTag } from '../release/version.js';
import { openRelease } from './open-release.js';
import { done, refused, skipped, type JobOutcome } from './outcome.js';
import type { ReleaseStore } from './release-store.js';

export interface CommentEvent {
  issue: IssueRef;
  comment: { id: number; body: string; user: { login: string; type?: string } };
}

export interface CommandOptions {
  /** How often a user without any role may get a 👎 (none when absent: no limit). */
  budget?: UserBudget;
  now?: () => string;
  env?: NodeJS.ProcessEnv;
}

type Reply = { ok: boolean; reply: string } | undefined;

export async function handleReleaseComment(store: ReleaseStore, event: CommentEvent, options: CommandOptions = {}): Promise<JobOutcome> {
  const commands = parseCommands(event.comment.body).filter((c) => c.name !== 'recheck' && c.name !== 'pipeline');
  if (commands.length === 0 || event.comment.user.type === 'Bot') return skipped('no-command');
  const onReleaseIssue = store.stateOf(event.issue) !== undefined;
  const release = onReleaseIssue ? undefined : commands.find((c) => c.name === 'release');
  if (!onReleaseIssue && !release) return skipped('not-a-release-issue');
  // Who is asking, before anything is written: `/release` is judged by the configuration of the commit it would tag.
  const head = release ? await defaultBranchHead(store.octokit, store.repo) : undefined;
  const config = await store.config(head?.sha);
  if (!config) return skipped('not-enabled');
  const actor = await actorOf(store, event.comment.user.login, config);
  if (actor.roles.size === 0) return withoutRole(store, event, options.budget);
  if (release) return acknowledged(store, event, () => releaseCommand(store, event, release, head!, config, actor));
  return acknowledged(store, event, async () => {
    // The body as it is now: the webhook's copy predates the commands handled since (a redelivery's, by far).
    event.issue = await getIssue(store.octokit, store.repo, event.issue.number);
    const state = await store.load(event.issue);
    if (state === undefined) return { ok: false, reply: 'this issue no longer holds a release state.' };
    if (state === 'tampered') return { ok: false, reply: TAMPERED_REPLY };
    if (state === 'stale') return { ok: false, reply: STALE_REPLY };
    if (state.handled.includes(event.comment.id)) return undefined;
    return releaseIssueCommands(store, event, state, commands, config, actor, options);
  });
}

/**
 * Someone without any role: at most one 👎 on the comment, no reply, and only a few times an hour per
 * user, so nobody can spend the installation's content-creation budget by commenting commands.
 */
async function withoutRole(store: ReleaseStore, event: CommentEvent, budget?: UserBudget): Promise<JobOutcome> {
  if (budget && !(await budget.take(`${store.repo.owner}:${event.comment.user.login.toLowerCase()}`)))
    return skipped('no-role-rate-limited');
  await react(store.octokit, store.repo, event.comment.id, '-1');
  return refused('no-role');
}

/** 👀 at once; a redelivered comment (👀 already there) is not run twice. Then one reply and 🚀 or 👎. */
async function acknowledged(store: ReleaseStore, event: CommentEvent, work: () => Promise<Reply>): Promise<JobOutcome> {
  const { octokit, repo } = store;
  const eyes = await react(octokit, repo, event.comment.id, 'eyes');
  if (!eyes.isNew) return skipped('redelivered');
  let outcome: Reply;
  try {
    outcome = await work();
  } catch (err) {
    swallowed(store.log, 'release-command', err);
    outcome = { ok: false, reply: `the command failed: ${describeError(err)}` };
  }
  if (!outcome) return skipped('handled-before');
  await comment(octokit, repo, event.issue.number, `@${event.comment.user.login} ${outcome.reply}`);
  await unreact(octokit, repo, event.comment.id, eyes.id);
  await react(octokit, repo, event.comment.id, outcome.ok ? 'rocket' : '-1');
  return outcome.ok ? done('command') : refused('command');
}

async function actorOf(store: ReleaseStore, login: string, config: ShipshapeConfig): Promise<Actor> {
  return {
    login,
    roles: await rolesOf(store.octokit, store.repo, login, {
      'service-owner': config.release['service-owners'],
      'platform-maintainer': config.release['platform-maintainers'],
    }),
  };
}

async function releaseIssueCommands(
  store: ReleaseStore,
  event: CommentEvent,
  start: ReleaseState,
  commands: Command[],
  config: ShipshapeConfig,
  actor: Actor,
  options: CommandOptions,
): Promise<Reply> {
  const { octokit, repo: r } = store;
  const environments = config.release.environments;
  const production = productionOf(environments);
  const now = options.now ?? (() => new Date().toISOString());
  let state = start;
  let allOk = true;
  let close = false;
  const replies: string[] = [];
  const news: string[] = [];
  for (const command of commands) {
    const world: World = { now: now(), environments, busy: {} };
    const target =
      command.name === 'rollback'
        ? production
        : command.name === 'deploy' && environments.includes(command.args[0] ?? '')
          ? command.args[0]!
          : undefined;
    if (target) world.busy[target] = await busyDeployment(octokit, r, target);
    if (command.name === 'deploy') world.tagSha = (await store.tags()).find((t) => t.name === state.tag)?.sha;
    if (command.name === 'rollback') world.previous = await previousRelease(store, state, config);
    const decision = decide(state, command, actor, world);
    if (!decision.ok) {
      allOk = false;
      replies.push(decision.reply);
      continue;
    }
    try {
      const applied = decision.effect ? await carryOut(store, event, decision.state, decision.effect, config) : { state: decision.state };
      const news1 = announcement(command, state, applied.state, actor);
      if (news1) news.push(news1);
      state = applied.state;
      close ||= decision.effect?.kind === 'publish';
      replies.push(applied.link ? `${decision.reply} ${applied.link}` : decision.reply);
    } catch (err) {
      allOk = false;
      swallowed(store.log, `release-${command.name}`, err);
      replies.push(`\`/${command.name}\` failed: ${describeError(err)}`);
    }
  }
  state = markHandled(state, event.comment.id);
  await store.save(event.issue, state, config, { close });
  if (close && event.issue.milestone) await closeMilestone(octokit, r, event.issue.milestone.number);
  for (const text of news) {
    await notifySlack(config, `${r.owner}/${r.repo}: ${text} (release issue ${r.htmlUrl}/issues/${event.issue.number})`, options.env).catch(
      (err: unknown) => swallowed(store.log, 'slack', err),
    );
  }
  return { ok: allOk, reply: replies.join('\n\n') };
}

async function carryOut(
  store: ReleaseStore,
  event: CommentEvent,
  state: ReleaseState,
  effect: Effect,
  config: ShipshapeConfig,
): Promise<{ state: ReleaseState; link?: string }> {
  const { octokit, repo: r } = store;
  if (effect.kind === 'publish') {
    const notes = releaseNotesOf(event.issue.body);
    const url = await ensureRelease(octokit, r, {
      tag: state.tag,
      name: `${state.tool} ${state.version}`,
      body: `${notes}\n\nRelease issue: #${event.issue.number}`,
      prerelease: state.prerelease,
    });
    return { state: { ...state, published: { ...state.published!, url } }, link: url };
  }
  const production = effect.environment === productionOf(config.release.environments);
  const deploy = config.release.deploy;
  if (deploy.method === 'workflow_dispatch') {
    const deployed = versionFromTag(effect.tag, config.release['tag-pattern'])?.version ?? state.version;
    const run = await dispatchWorkflow(octokit, r, {
      workflow: deploy.workflow!,
      tag: effect.tag,
      environment: effect.environment,
      version: deployed,
    });
    const url = run?.url ?? `${r.htmlUrl}/actions/workflows/${encodeURIComponent(deploy.workflow!)}`;
    return {
      state: withDeployment(state, effect.environment, { url }),
      link: run ? `(workflow run: ${run.url})` : `(the run was not found yet: ${url})`,
    };
  }
  // The deployment carries this release's version, so its statuses (a rollback's too) come back to this issue.
  const id = await createDeployment(octokit, r, {
    sha: effect.sha,
    tag: effect.tag,
    environment: effect.environment,
    version: state.version,
    issue: event.issue.number,
    production,
    rollback: effect.rollback,
  });
  return {
    state: withDeployment(state, effect.environment, { deploymentId: id }),
    link: `(deployment ${id} of commit ${effect.sha.slice(0, 7)}; its log is linked here as soon as it reports)`,
  };
}

const withDeployment = (state: ReleaseState, env: string, fields: { deploymentId?: number; url?: string }): ReleaseState => ({
  ...state,
  deployments: { ...state.deployments, [env]: { ...state.deployments[env]!, ...fields } },
});

async function previousRelease(
  store: ReleaseStore,
  state: ReleaseState,
  config: ShipshapeConfig,
): Promise<{ tag: string; sha: string } | undefined> {
  const pattern = config.release['tag-pattern'];
  const current = versionFromTag(state.tag, pattern) ?? parseVersion(state.version);
  const previous = newestRelease(await store.tags(), pattern, current);
  return previous ? { tag: previous.tag.name, sha: previous.tag.sha } : undefined;
}

/** `/release <X.Y.Z|major|minor|patch>`: tag the default branch's head and open the release. */
async function releaseCommand(
  store: ReleaseStore,
  event: CommentEvent,
  command: Command,
  head: { branch: string; sha: string },
  config: ShipshapeConfig,
  actor: Actor,
): Promise<Reply> {
  const { octokit, repo: r } = store;
  // `config` is that of the very commit that will be tagged: openRelease reads the same one (loaded once).
  const refusal = releaseRefusal(actor);
  if (refusal) return { ok: false, reply: refusal };
  const pattern = config.release['tag-pattern'];
  const tags = await store.tags();
  const version = nextVersion(newestRelease(tags, pattern)?.version, command.args[0] ?? '');
  if (!version) return { ok: false, reply: '`/release` needs `major`, `minor`, `patch` or a version X.Y.Z.' };
  const tag = tagFor(
    version,
    tags.map((t) => t.name),
    pattern,
  );
  const fresh = await createTag(octokit, r, tag, head.sha);
  if (fresh) await store.addTag({ name: tag, sha: head.sha, date: new Date().toISOString() });
  const outcome = await openRelease(store, tag);
  if (outcome.issue)
    return {
      ok: true,
      reply: `${fresh ? `tagged ${head.branch} (${head.sha.slice(0, 7)}) as \`${tag}\`` : `\`${tag}\` already existed`}; the release issue is #${outcome.issue.number}.`,
    };
  switch (outcome.what) {
    case 'not-a-release':
      return { ok: false, reply: `\`${tag}\` cannot be released: ${String(outcome.detail?.reason)}.` };
    case 'pending':
      return { ok: true, reply: `tagged \`${tag}\`; the release issue is being opened.` };
    default:
      return { ok: false, reply: 'Shipshape is not enabled at the tagged commit.' };
  }
}
