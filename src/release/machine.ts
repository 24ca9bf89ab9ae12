/**
 * The release state machine: what each command does to a release, or exactly why it is refused.
 * Pure: the handler supplies who is asking (roles), what GitHub says (busy environments, the previous
 * release), and carries out the returned effect.
 */
import type { Command } from './commands.js';
import type { ReleaseState } from './state.js';

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
  /** The commit the release's tag points at now (for `/deploy`): a tag moved since the release opened is refused. */
  tagSha?: string;
}

/** The last configured environment is production; the one before it is where a release is verified first. */
export const productionOf = (environments: readonly string[]): string => environments[environments.length - 1]!;
export const stagingOf = (environments: readonly string[]): string | undefined => environments[environments.length - 2];

/** `/release` (tagging the default branch) is for service owners and platform maintainers only. */
export function releaseRefusal(actor: Actor): string | undefined {
  return actor.roles.size === 0 ? 'only service owners and platform maintainers of this repository can `/release`.' : undefined;
}

/** The answer to any command on a release whose state is older than the last one Shipshape wrote. */
export const STALE_REPLY =
  "the state of this release is older than the last one Shipshape wrote (the issue body was restored from its history), so Shipshape will not act on it. Ask an admin to restore the newest version of the body from the issue's edit history.";

/** The answer to any command on a release whose state was edited by hand (its signature no longer matches). */
export const TAMPERED_REPLY =
  'the state of this release was edited by hand (its signature no longer matches), so Shipshape will not act on it. Open a new release, or ask an admin to restore the issue body from its history.';

export type Effect = { kind: 'deploy'; environment: string; tag: string; sha: string; rollback: boolean } | { kind: 'publish' };

export type Decision = { ok: true; state: ReleaseState; reply: string; effect?: Effect } | { ok: false; reply: string };

export const COMMANDS: Record<string, { role?: Role; usage: string; help: string }> = {
  approve: { role: 'service-owner', usage: '/approve', help: 'approve the release (service owner)' },
  reject: { role: 'service-owner', usage: '/reject <reason>', help: 'reject the release, with the reason (service owner)' },
  deploy: {
    role: 'platform-maintainer',
    usage: '/deploy <environment>',
    help: 'deploy this release to an environment (platform maintainer)',
  },
  verify: {
    role: 'platform-maintainer',
    usage: '/verify <environment>',
    help: 'record that the deployment works there (platform maintainer)',
  },
  rollback: { role: 'platform-maintainer', usage: '/rollback', help: 'redeploy the previous release to production (platform maintainer)' },
  publish: { role: 'service-owner', usage: '/publish', help: 'publish the GitHub release, close the issue and milestone (service owner)' },
  status: { usage: '/status', help: 'where the release stands' },
  help: { usage: '/help', help: 'the commands you may use' },
};

const ROLE_NAME: Record<Role, string> = { 'service-owner': 'service owners', 'platform-maintainer': 'platform maintainers' };

export function decide(state: ReleaseState, command: Command, actor: Actor, world: World): Decision {
  const spec = COMMANDS[command.name];
  if (!spec) return { ok: false, reply: `\`/${command.name}\` is not a command. ${helpText(actor)}` };
  if (spec.role && !actor.roles.has(spec.role))
    return { ok: false, reply: `only ${ROLE_NAME[spec.role]} of this repository can \`${spec.usage}\`.` };
  // A published release can still be rolled back: that is when a rollback is needed most.
  if (state.published && !['status', 'help', 'rollback'].includes(command.name))
    return { ok: false, reply: `release ${state.version} is already published; \`/${command.name}\` changes nothing.` };
  const production = productionOf(world.environments);
  switch (command.name) {
    case 'approve':
      if (state.approval) return { ok: false, reply: `release ${state.version} is already approved by @${state.approval.by}.` };
      return {
        ok: true,
        state: { ...state, approval: { by: actor.login, at: world.now }, rejection: undefined },
        reply: `approved release ${state.version}.`,
      };
    case 'reject':
      if (!command.rest) return { ok: false, reply: '`/reject` needs a reason: `/reject <reason>`.' };
      return {
        ok: true,
        state: { ...state, approval: undefined, rejection: { by: actor.login, at: world.now, reason: command.rest } },
        reply: `rejected release ${state.version}: ${command.rest}`,
      };
    case 'deploy':
      return deploy(state, command.args[0], actor, world, production);
    case 'verify':
      return verify(state, command.args[0], actor, world);
    case 'rollback': {
      if (!world.previous) return { ok: false, reply: `there is no release before ${state.version} to roll back to.` };
      const busy = world.busy[production];
      if (busy) return { ok: false, reply: `${production} is busy with ${busy}; wait for it to finish.` };
      return deploying(state, production, world.previous, actor, world, true);
    }
    case 'publish': {
      const prod = state.deployments[production];
      if (!prod || prod.tag !== state.tag || prod.state !== 'success' || !prod.verified)
        return {
          ok: false,
          reply: `release ${state.version} cannot be published before it is deployed to ${production} and verified there.`,
        };
      return {
        ok: true,
        state: { ...state, published: { at: world.now } },
        reply: `publishing release ${state.version}.`,
        effect: { kind: 'publish' },
      };
    }
    case 'status':
      return { ok: true, state, reply: statusText(state, world.environments) };
    default:
      return { ok: true, state, reply: helpText(actor) };
  }
}

function deploy(state: ReleaseState, environment: string | undefined, actor: Actor, world: World, production: string): Decision {
  if (!environment || !world.environments.includes(environment))
    return { ok: false, reply: `\`/deploy\` needs one of: ${world.environments.join(', ')}.` };
  if (state.rejection)
    return {
      ok: false,
      reply: `release ${state.version} was rejected by @${state.rejection.by} (${state.rejection.reason}); it needs a new \`/approve\` first.`,
    };
  const index = world.environments.indexOf(environment);
  if (environment === production && !state.approval)
    return { ok: false, reply: `${production} needs the service owner's \`/approve\` first.` };
  if (index > 0) {
    const before = world.environments[index - 1]!;
    const d = state.deployments[before];
    if (!d || d.tag !== state.tag || d.sha !== state.sha || d.state !== 'success' || !d.verified)
      return {
        ok: false,
        reply: `${environment} needs this very commit (${state.sha.slice(0, 7)}) deployed to ${before} successfully and verified there (\`/verify ${before}\`) first.`,
      };
  }
  if (world.tagSha && world.tagSha !== state.sha) {
    return {
      ok: false,
      reply: `the tag ${state.tag} now points at ${world.tagSha.slice(0, 7)}, but release ${state.version} is commit ${state.sha.slice(0, 7)}; a moved tag is not deployed. Tag a new version instead.`,
    };
  }
  const busy = world.busy[environment];
  if (busy) return { ok: false, reply: `${environment} is busy with ${busy}; wait for it to finish.` };
  const current = state.deployments[environment];
  if (current && current.tag === state.tag && ['pending', 'queued', 'in_progress'].includes(current.state))
    return { ok: false, reply: `${state.tag} is already being deployed to ${environment}.` };
  return deploying(state, environment, state, actor, world, false);
}

/** A deployment of `release` (this one, or the previous for a rollback) to `environment` starts: pending until GitHub reports. */
function deploying(
  state: ReleaseState,
  environment: string,
  release: { tag: string; sha: string },
  actor: Actor,
  world: World,
  rollback: boolean,
): Decision {
  const { tag, sha } = release;
  return {
    ok: true,
    state: {
      ...state,
      deployments: { ...state.deployments, [environment]: { tag, sha, state: 'pending', by: actor.login, at: world.now } },
    },
    reply: rollback ? `rolling ${environment} back to ${tag}.` : `deploying ${tag} to ${environment}.`,
    effect: { kind: 'deploy', environment, tag, sha, rollback },
  };
}

function verify(state: ReleaseState, environment: string | undefined, actor: Actor, world: World): Decision {
  if (!environment || !world.environments.includes(environment))
    return { ok: false, reply: `\`/verify\` needs one of: ${world.environments.join(', ')}.` };
  const d = state.deployments[environment];
  if (!d || d.tag !== state.tag || d.sha !== state.sha || d.state !== 'success')
    return {
      ok: false,
      reply: `${state.tag} has no successful deployment on ${environment} to verify${d ? ` (it is ${d.tag === state.tag ? d.state : `running ${d.tag}`})` : ''}.`,
    };
  if (d.verified) return { ok: false, reply: `${environment} was already verified by @${d.verified.by}.` };
  return {
    ok: true,
    state: { ...state, deployments: { ...state.deployments, [environment]: { ...d, verified: { by: actor.login, at: world.now } } } },
    reply: `verified ${state.tag} on ${environment}.`,
  };
}

export function helpText(actor: Actor): string {
  const mine = Object.entries(COMMANDS).filter(([, c]) => !c.role || actor.roles.has(c.role));
  return `Commands you (@${actor.login}) can use here:\n\n${mine.map(([, c]) => `- \`${c.usage}\`: ${c.help}`).join('\n')}`;
}

export function statusText(state: ReleaseState, environments: string[]): string {
  const lines = [`Release ${state.version} (\`${state.tag}\`, ${state.sha.slice(0, 7)}):`];
  lines.push(
    `- approval: ${state.approval ? `approved by @${state.approval.by}` : state.rejection ? `rejected by @${state.rejection.by}: ${state.rejection.reason}` : 'waiting for the service owner'}`,
  );
  for (const env of environments) {
    const d = state.deployments[env];
    lines.push(`- ${env}: ${d ? `${d.tag} ${d.state}${d.verified ? `, verified by @${d.verified.by}` : ''}` : 'not deployed'}`);
  }
  lines.push(`- published: ${state.published ? state.published.at : 'no'}`);
  return lines.join('\n');
}

/** What Slack hears of a command that changed the release (approval, rejection, publishing, rollback); undefined for the rest. */
export function announcement(command: Command, before: ReleaseState, after: ReleaseState, actor: Actor): string | undefined {
  if (command.name === 'approve' && after.approval && !before.approval)
    return `Release ${after.version} of ${after.tool} was approved by @${actor.login}.`;
  if (command.name === 'reject' && after.rejection)
    return `Release ${after.version} of ${after.tool} was rejected by @${actor.login}: ${after.rejection.reason}`;
  if (command.name === 'publish' && after.published)
    return `Release ${after.version} of ${after.tool} was published${after.published.url ? `: ${after.published.url}` : '.'}`;
  if (command.name === 'rollback') {
    const production = Object.entries(after.deployments).find(([, d]) => d.tag !== after.tag && d.state === 'pending');
    if (production)
      return `@${actor.login} is rolling ${production[0]} back to ${production[1].tag} (release ${after.version} of ${after.tool}).`;
  }
  return undefined;
}
