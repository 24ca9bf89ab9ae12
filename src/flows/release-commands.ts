/**
 * Slash-commands in comments: on a release issue they run the release (approve, deploy, verify, …);
 * `/release <version|bump>` on any issue tags the default branch and opens the release.
 * Every command is acknowledged with 👀, then 🚀 (done) or 👎 (refused or failed), and one reply.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import { createDeployment, busyDeployment, dispatchWorkflow } from '../github/deployments.js';
import { closeMilestone, comment, react, unreact, type IssueRef } from '../github/issues.js';
import { createTag, defaultBranchHead, ensureRelease, listTags } from '../github/repo-refs.js';
import { rolesOf } from '../github/roles.js';
import { parseCommands, type Command } from '../release/commands.js';
import { parseState } from '../release/issue-body.js';
import { decide, type Actor, type Effect, type World } from '../release/machine.js';
import { markHandled, type ReleaseState } from '../release/state.js';
import { newestRelease, nextVersion, parseVersion, tagFor, versionFromTag } from '../release/version.js';
import { openRelease } from './open-release.js';
import { releaseConfig, saveState, type ReleaseRepo } from './release-common.js';

export interface CommentEvent {
  repo: ReleaseRepo;
  issue: IssueRef & { milestone?: { number: number } | null };
  comment: { id: number; body: string; user: { login: string; type?: string } };
}

export interface CommandOptions {
  secret: string;
  now?: () => string;
}

/** Returns false when the comment holds no command for Shipshape's releases. */
export async function handleReleaseComment(octokit: GitHub, event: CommentEvent, options: CommandOptions): Promise<boolean> {
  const commands = parseCommands(event.comment.body).filter((c) => c.name !== 'recheck');
  if (commands.length === 0 || event.comment.user.type === 'Bot') return false;
  const state = parseState(event.issue.body, options.secret);
  if (state === undefined) {
    const release = commands.find((c) => c.name === 'release');
    if (!release) return false;
    await acknowledged(octokit, event, async () => releaseCommand(octokit, event, release, options));
    return true;
  }
  await acknowledged(octokit, event, async () => {
    if (state === 'tampered') return { ok: false, reply: 'the state of this release was edited by hand (its signature no longer matches), so Shipshape will not act on it. Open a new release, or ask an admin to restore the issue body from its history.' };
    if (state.handled.includes(event.comment.id)) return undefined;
    return releaseIssueCommands(octokit, event, state, commands, options);
  });
  return true;
}

type Outcome = { ok: boolean; reply: string } | undefined;

/** 👀 at once; a redelivered comment (👀 already there) is not run twice. Then one reply and 🚀 or 👎. */
async function acknowledged(octokit: GitHub, event: CommentEvent, work: () => Promise<Outcome>): Promise<void> {
  const eyes = await react(octokit, event.repo, event.comment.id, 'eyes');
  if (!eyes.isNew) return;
  let outcome: Outcome;
  try {
    outcome = await work();
  } catch (err) {
    outcome = { ok: false, reply: `the command failed: ${(err as Error).message}` };
  }
  if (!outcome) return;
  await comment(octokit, event.repo, event.issue.number, `@${event.comment.user.login} ${outcome.reply}`);
  await unreact(octokit, event.repo, event.comment.id, eyes.id);
  await react(octokit, event.repo, event.comment.id, outcome.ok ? 'rocket' : '-1');
}

async function actorOf(octokit: GitHub, event: CommentEvent, config: ShipshapeConfig): Promise<Actor> {
  const login = event.comment.user.login;
  return { login, roles: await rolesOf(octokit, event.repo, login, { 'service-owner': config.release['service-owners'], 'platform-maintainer': config.release['platform-maintainers'] }) };
}

async function releaseIssueCommands(octokit: GitHub, event: CommentEvent, start: ReleaseState, commands: Command[], options: CommandOptions): Promise<Outcome> {
  const r = event.repo;
  const config = await releaseConfig(octokit, r, r.defaultBranch);
  if (!config) return { ok: false, reply: 'Shipshape is not enabled in this repository.' };
  const actor = await actorOf(octokit, event, config);
  const environments = config.release.environments;
  const now = options.now ?? (() => new Date().toISOString());
  let state = start;
  let allOk = true;
  let close = false;
  const replies: string[] = [];
  for (const command of commands) {
    const world: World = { now: now(), environments, busy: {} };
    if (command.name === 'deploy' && command.args[0] && environments.includes(command.args[0])) world.busy[command.args[0]] = await busyDeployment(octokit, r, command.args[0]);
    if (command.name === 'rollback') {
      const production = environments[environments.length - 1]!;
      world.busy[production] = await busyDeployment(octokit, r, production);
      world.previous = await previousRelease(octokit, r, state, config);
    }
    const decision = decide(state, command, actor, world);
    if (!decision.ok) {
      allOk = false;
      replies.push(decision.reply);
      continue;
    }
    try {
      const applied = decision.effect ? await carryOut(octokit, event, decision.state, decision.effect, config) : { state: decision.state };
      state = applied.state;
      close ||= decision.effect?.kind === 'publish';
      replies.push(applied.link ? `${decision.reply} ${applied.link}` : decision.reply);
    } catch (err) {
      allOk = false;
      replies.push(`\`/${command.name}\` failed: ${(err as Error).message}`);
    }
  }
  state = markHandled(state, event.comment.id);
  await saveState(octokit, r, event.issue, state, config, options.secret, { close });
  if (close && event.issue.milestone) await closeMilestone(octokit, r, event.issue.milestone.number);
  return { ok: allOk, reply: replies.join('\n\n') };
}

async function carryOut(octokit: GitHub, event: CommentEvent, state: ReleaseState, effect: Effect, config: ShipshapeConfig): Promise<{ state: ReleaseState; link?: string }> {
  const r = event.repo;
  if (effect.kind === 'publish') {
    const notes = /## Release notes\n([\s\S]*?)(?=\n## )/.exec(event.issue.body ?? '')?.[1]?.trim() ?? '';
    const url = await ensureRelease(octokit, r, { tag: state.tag, name: `${state.tool} ${state.version}`, body: `${notes}\n\nRelease issue: #${event.issue.number}`, prerelease: state.prerelease });
    return { state: { ...state, published: { ...state.published!, url } }, link: url };
  }
  const environments = config.release.environments;
  const production = effect.environment === environments[environments.length - 1];
  const version = versionFromTag(effect.tag, config.release['tag-pattern'])?.version ?? state.version;
  const deploy = config.release.deploy;
  if (deploy.method === 'workflow_dispatch') {
    await dispatchWorkflow(octokit, r, { workflow: deploy.workflow!, tag: effect.tag, environment: effect.environment, version });
    const url = `${r.htmlUrl}/actions/workflows/${encodeURIComponent(deploy.workflow!)}`;
    return { state: withDeployment(state, effect.environment, { url }), link: url };
  }
  const id = await createDeployment(octokit, r, { tag: effect.tag, environment: effect.environment, version, issue: event.issue.number, production });
  const url = `${r.htmlUrl}/deployments/${encodeURIComponent(effect.environment)}`;
  return { state: withDeployment(state, effect.environment, { deploymentId: id, url }), link: `(deployment ${id}: ${url})` };
}

const withDeployment = (state: ReleaseState, env: string, fields: { deploymentId?: number; url?: string }): ReleaseState => ({ ...state, deployments: { ...state.deployments, [env]: { ...state.deployments[env]!, ...fields } } });

async function previousRelease(octokit: GitHub, r: ReleaseRepo, state: ReleaseState, config: ShipshapeConfig): Promise<{ tag: string; sha: string } | undefined> {
  const pattern = config.release['tag-pattern'];
  const current = versionFromTag(state.tag, pattern) ?? parseVersion(state.version);
  const previous = newestRelease(await listTags(octokit, r), pattern, current);
  return previous ? { tag: previous.tag.name, sha: previous.tag.sha } : undefined;
}

/** `/release <X.Y.Z|major|minor|patch>`: tag the default branch's head and open the release. */
async function releaseCommand(octokit: GitHub, event: CommentEvent, command: Command, options: CommandOptions): Promise<Outcome> {
  const r = event.repo;
  const config = await releaseConfig(octokit, r, r.defaultBranch);
  if (!config) return { ok: false, reply: 'Shipshape is not enabled in this repository.' };
  const actor = await actorOf(octokit, event, config);
  if (actor.roles.size === 0) return { ok: false, reply: 'only service owners and platform maintainers of this repository can `/release`.' };
  const pattern = config.release['tag-pattern'];
  const tags = await listTags(octokit, r);
  const version = nextVersion(newestRelease(tags, pattern)?.version, command.args[0] ?? '');
  if (!version) return { ok: false, reply: '`/release` needs `major`, `minor`, `patch` or a version X.Y.Z.' };
  const tag = tagFor(version, tags.map((t) => t.name), pattern);
  const head = await defaultBranchHead(octokit, r);
  const fresh = await createTag(octokit, r, tag, head.sha);
  const outcome = await openRelease(octokit, r, tag, { secret: options.secret });
  switch (outcome.kind) {
    case 'opened':
    case 'existing':
      return { ok: true, reply: `${fresh ? `tagged ${head.branch} (${head.sha.slice(0, 7)}) as \`${tag}\`` : `\`${tag}\` already existed`}; the release issue is #${outcome.issue.number}.` };
    case 'refused':
      return { ok: false, reply: `\`${tag}\` cannot be released: ${outcome.reason}.` };
    case 'pending':
      return { ok: true, reply: `tagged \`${tag}\`; the release issue is being opened.` };
    default:
      return { ok: false, reply: 'Shipshape is not enabled at the tagged commit.' };
  }
}
