/**
 * The release state machine: what each command does to a release, or exactly why it is refused.
 * Pure: the handler supplies who is asking (roles), what GitHub says (busy environments, the previous
 * release), and carries out the returned effect.
 */
import type { Command } from './commands.js';
import { markHandled, type DeploymentState, type ReleaseState } from './state.js';

export type Role = 'service-owner' | 'platform-maintainer';

export interface Actor {
  login: string;
  roles: ReadonlySet<Role>;
}

export interface World {
  now: string;
  environments: string[];
  /** A deployment in progress per environment (any release), as GitHub reports it. */
  busy: Record<string, string | undefined>;
  /** The release before this one, for `/rollback`. */
  previous?: { tag: string; sha: string };
}

export type Effect =
  | { kind: 'deploy'; environment: string; tag: string; sha: string; rollback: boolean }
  | { kind: 'publish' };

export type Decision = { ok: true; state: ReleaseState; reply: string; effect?: Effect } | { ok: false; reply: string };

export const COMMANDS: Record<string, { role?: Role; usage: string; help: string }> = {
  approve: { role: 'service-owner', usage: '/approve', help: 'approve the release (service owner)' },
  reject: { role: 'service-owner', usage: '/reject <reason>', help: 'reject the release, with the reason (service owner)' },
  deploy: { role: 'platform-maintainer', usage: '/deploy <environment>', help: 'deploy this release to an environment (platform maintainer)' },
  verify: { role: 'platform-maintainer', usage: '/verify <environment>', help: 'record that the deployment works there (platform maintainer)' },
  rollback: { role: 'platform-maintainer', usage: '/rollback', help: 'redeploy the previous release to production (platform maintainer)' },
  publish: { role: 'service-owner', usage: '/publish', help: 'publish the GitHub release, close the issue and milestone (service owner)' },
  status: { usage: '/status', help: 'where the release stands' },
  help: { usage: '/help', help: 'the commands you may use' },
};

const ROLE_NAME: Record<Role, string> = { 'service-owner': 'service owners', 'platform-maintainer': 'platform maintainers' };

export function decide(state: ReleaseState, command: Command, actor: Actor, world: World): Decision {
  const spec = COMMANDS[command.name];
  if (!spec) return { ok: false, reply: `\`/${command.name}\` is not a command. ${helpText(actor)}` };
  if (spec.role && !actor.roles.has(spec.role)) return { ok: false, reply: `only ${ROLE_NAME[spec.role]} of this repository can \`${spec.usage}\`.` };
  if (state.published && !['status', 'help'].includes(command.name)) return { ok: false, reply: `release ${state.version} is already published; \`/${command.name}\` changes nothing.` };
  const production = world.environments[world.environments.length - 1]!;
  switch (command.name) {
    case 'approve':
      if (state.approval) return { ok: false, reply: `release ${state.version} is already approved by @${state.approval.by}.` };
      return { ok: true, state: { ...state, approval: { by: actor.login, at: world.now }, rejection: undefined }, reply: `approved release ${state.version}.` };
    case 'reject':
      if (!command.rest) return { ok: false, reply: '`/reject` needs a reason: `/reject <reason>`.' };
      return { ok: true, state: { ...state, approval: undefined, rejection: { by: actor.login, at: world.now, reason: command.rest } }, reply: `rejected release ${state.version}: ${command.rest}` };
    case 'deploy':
      return deploy(state, command.args[0], actor, world, production);
    case 'verify':
      return verify(state, command.args[0], actor, world);
    case 'rollback': {
      if (!world.previous) return { ok: false, reply: `there is no release before ${state.version} to roll back to.` };
      const busy = world.busy[production];
      if (busy) return { ok: false, reply: `${production} is busy with ${busy}; wait for it to finish.` };
      return {
        ok: true,
        state: { ...state, deployments: { ...state.deployments, [production]: { tag: world.previous.tag, sha: world.previous.sha, state: 'pending', by: actor.login, at: world.now } } },
        reply: `rolling ${production} back to ${world.previous.tag}.`,
        effect: { kind: 'deploy', environment: production, tag: world.previous.tag, sha: world.previous.sha, rollback: true },
      };
    }
    case 'publish': {
      const prod = state.deployments[production];
      if (!prod || prod.tag !== state.tag || prod.state !== 'success' || !prod.verified) return { ok: false, reply: `release ${state.version} cannot be published before it is deployed to ${production} and verified there.` };
      return { ok: true, state: { ...state, published: { at: world.now } }, reply: `publishing release ${state.version}.`, effect: { kind: 'publish' } };
    }
    case 'status':
      return { ok: true, state, reply: statusText(state, world.environments) };
    default:
      return { ok: true, state, reply: helpText(actor) };
  }
}

function deploy(state: ReleaseState, environment: string | undefined, actor: Actor, world: World, production: string): Decision {
  if (!environment || !world.environments.includes(environment)) return { ok: false, reply: `\`/deploy\` needs one of: ${world.environments.join(', ')}.` };
  if (state.rejection) return { ok: false, reply: `release ${state.version} was rejected by @${state.rejection.by} (${state.rejection.reason}); it needs a new \`/approve\` first.` };
  const index = world.environments.indexOf(environment);
  if (environment === production && !state.approval) return { ok: false, reply: `${production} needs the service owner's \`/approve\` first.` };
  if (index > 0) {
    const before = world.environments[index - 1]!;
    const d = state.deployments[before];
    if (!d || d.tag !== state.tag || d.sha !== state.sha || d.state !== 'success' || !d.verified) return { ok: false, reply: `${environment} needs this very commit (${state.sha.slice(0, 7)}) deployed to ${before} successfully and verified there (\`/verify ${before}\`) first.` };
  }
  const busy = world.busy[environment];
  if (busy) return { ok: false, reply: `${environment} is busy with ${busy}; wait for it to finish.` };
  const current = state.deployments[environment];
  if (current && current.tag === state.tag && ['pending', 'queued', 'in_progress'].includes(current.state)) return { ok: false, reply: `${state.tag} is already being deployed to ${environment}.` };
  return {
    ok: true,
    state: { ...state, deployments: { ...state.deployments, [environment]: { tag: state.tag, sha: state.sha, state: 'pending', by: actor.login, at: world.now } } },
    reply: `deploying ${state.tag} to ${environment}.`,
    effect: { kind: 'deploy', environment, tag: state.tag, sha: state.sha, rollback: false },
  };
}

function verify(state: ReleaseState, environment: string | undefined, actor: Actor, world: World): Decision {
  if (!environment || !world.environments.includes(environment)) return { ok: false, reply: `\`/verify\` needs one of: ${world.environments.join(', ')}.` };
  const d = state.deployments[environment];
  if (!d || d.tag !== state.tag || d.state !== 'success') return { ok: false, reply: `${state.tag} has no successful deployment on ${environment} to verify${d ? ` (it is ${d.tag === state.tag ? d.state : `running ${d.tag}`})` : ''}.` };
  if (d.verified) return { ok: false, reply: `${environment} was already verified by @${d.verified.by}.` };
  return { ok: true, state: { ...state, deployments: { ...state.deployments, [environment]: { ...d, verified: { by: actor.login, at: world.now } } } }, reply: `verified ${state.tag} on ${environment}.` };
}

/** A deployment status reported by GitHub, applied to the release (only for the deployment it started). */
export function applyDeploymentStatus(state: ReleaseState, update: { environment: string; deploymentId: number; sha: string; state: DeploymentState; url?: string; statusId: number }): ReleaseState | undefined {
  if (state.handled.includes(`status:${update.statusId}`)) return undefined;
  const current = state.deployments[update.environment];
  // A workflow_dispatch deployment is only known once its first status arrives: adopt it by commit.
  const ours = current && (current.deploymentId === update.deploymentId || (current.deploymentId === undefined && current.sha === update.sha));
  if (!current || !ours) return undefined;
  const next = { ...current, deploymentId: update.deploymentId, state: update.state, url: update.url ?? current.url, verified: update.state === 'success' ? current.verified : undefined };
  return markHandled({ ...state, deployments: { ...state.deployments, [update.environment]: next } }, `status:${update.statusId}`);
}

export function helpText(actor: Actor): string {
  const mine = Object.entries(COMMANDS).filter(([, c]) => !c.role || actor.roles.has(c.role));
  return `Commands you (@${actor.login}) can use here:\n\n${mine.map(([, c]) => `- \`${c.usage}\`: ${c.help}`).join('\n')}`;
}

export function statusText(state: ReleaseState, environments: string[]): string {
  const lines = [`Release ${state.version} (\`${state.tag}\`, ${state.sha.slice(0, 7)}):`];
  lines.push(`- approval: ${state.approval ? `approved by @${state.approval.by}` : state.rejection ? `rejected by @${state.rejection.by}: ${state.rejection.reason}` : 'waiting for the service owner'}`);
  for (const env of environments) {
    const d = state.deployments[env];
    lines.push(`- ${env}: ${d ? `${d.tag} ${d.state}${d.verified ? `, verified by @${d.verified.by}` : ''}` : 'not deployed'}`);
  }
  lines.push(`- published: ${state.published ? state.published.at : 'no'}`);
  return lines.join('\n');
}

/** Whether a production deployment of `sha` may go ahead (the deployment protection rule). */
export function productionGate(state: ReleaseState | undefined, sha: string, environments: string[]): { approve: boolean; reason: string } {
  if (!state) return { approve: false, reason: `no release issue of Shipshape covers commit ${sha.slice(0, 7)}; deploy a release with \`/deploy\`.` };
  const production = environments[environments.length - 1]!;
  const staging = environments[environments.length - 2];
  if (state.sha !== sha) return { approve: false, reason: `commit ${sha.slice(0, 7)} is not release ${state.version} (${state.sha.slice(0, 7)}).` };
  if (!state.approval) return { approve: false, reason: `release ${state.version} is not approved by the service owner.` };
  if (staging) {
    const d = state.deployments[staging];
    if (!d || d.sha !== sha || d.state !== 'success' || !d.verified) return { approve: false, reason: `release ${state.version} is not verified on ${staging}.` };
  }
  return { approve: true, reason: `release ${state.version} is approved and verified${staging ? ` on ${staging}` : ''}; ${production} may proceed.` };
}
