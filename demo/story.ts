/**
 * The demo's story, played against the simulated GitHub with the real server answering its webhooks:
 * a pull request with an unpinned package fails `shipshape/policy`, its fix passes; a version tag opens
 * the release issue, and the commands take it through approval, staging, production and publishing.
 * Each step prints what a person would see on GitHub. Webhooks are answered after their work (no Redis),
 * so when a delivery returns, its effects are in the simulator's state.
 */
import type { GitHubModel, Repo } from '../sim/model.js';
import { readTree } from '../sim/tree.js';
import type { GitHubSimulator } from '../sim/server.js';
import { commentOn, deploymentStatus, pullRequestEvent, tagPush } from '../sim/events.js';

export const ORG = 'css42';
export const STORE = 'css42.dashboards_store';
export const OWNER = 'css42-owner';
export const PLATFORM = 'pat';
const CORE = { owner: 'Sciance-Inc', name: 'core.dashboards_store', tags: ['v0.6.0+20230601', 'v0.7.0+20230926', 'v0.8.0+20231115'] };

type Print = (line: string) => void;
const EMOJI: Record<string, string> = { eyes: '👀', rocket: '🚀', '-1': '👎', '+1': '👍' };

/** An org with the core (and its releases) and a store like examples/css42.dashboards_store. */
export function seed(model: GitHubModel, exampleDir: string): Repo {
  const core = model.addRepo(CORE.owner, CORE.name, {
    'dbt_project.yml': "name: core_dashboards_store\nversion: '0.8.0'\n",
    'README.md': '# core\n',
  });
  for (const tag of CORE.tags) model.tag(core, tag, model.push(core, 'main', { 'CHANGELOG.md': `${tag}\n` }, tag));
  core.branches.set('develop', model.push(core, 'develop', { 'NEXT.md': 'work in progress\n' }, 'develop'));
  const store = model.addRepo(ORG, STORE, readTree(exampleDir));
  store.permissions.set(OWNER, 'write');
  store.permissions.set(PLATFORM, 'write');
  model.teams.set(`${ORG}/platform`, new Set([PLATFORM]));
  return store;
}

const packagesWith = (revision: string) =>
  `packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: ${revision}\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n`;

export async function playStory(model: GitHubModel, sim: GitHubSimulator, store: Repo, print: Print): Promise<void> {
  const send = async (event: string, payload: unknown) => {
    const status = await sim.deliver(event, payload);
    if (status < 200 || status >= 300) throw new Error(`the app answered ${status} to a ${event} webhook`);
  };
  const checkOf = (sha: string) => store.checkRuns.filter((r) => r.head_sha === sha && r.name === 'shipshape/policy').pop();
  const showCheck = (sha: string) => {
    const run = checkOf(sha);
    if (!run) throw new Error('no shipshape/policy check run was written');
    print(`  ${run.conclusion === 'success' ? '✓' : '✗'} shipshape/policy — ${run.conclusion}: ${run.output?.title ?? ''}`);
    for (const a of (run.output?.annotations ?? []) as Array<{ path: string; start_line: number; title?: string; message: string }>) {
      print(`      ${a.path}:${a.start_line}  ${a.title ?? ''}  ${a.message.split('\n')[0]}`);
    }
    return run;
  };

  print(`\n▶ dev opens pull request #1 in ${ORG}/${STORE}: "Follow the core's develop branch" (packages.yml: revision: develop)`);
  const pr = model.openPullRequest(store, 'follow-develop', { 'packages.yml': packagesWith('develop') }, 'dev');
  pr.title = "Follow the core's develop branch";
  await send('pull_request', pullRequestEvent(store, pr.number, 'opened'));
  if (showCheck(pr.pull_request!.head).conclusion !== 'failure') throw new Error('the unpinned package was not caught');

  print(`\n▶ dev pushes a fix to the pull request: revision ${CORE.tags[2]} in packages.yml, and the Dockerfile's FROM to match`);
  const dockerfile = model
    .resolve(store, 'main')!
    .files.get('Dockerfile')!
    .replace(/core\.dashboards_store:v[0-9.]+/, 'core.dashboards_store:v0.8.0');
  pr.pull_request!.head = model.push(
    store,
    'follow-develop',
    { 'packages.yml': packagesWith(CORE.tags[2]!), Dockerfile: dockerfile },
    'Pin the core to its newest release',
  );
  await send('pull_request', pullRequestEvent(store, pr.number, 'synchronize'));
  if (showCheck(pr.pull_request!.head).conclusion !== 'success') throw new Error('the fixed pull request did not pass');

  print('\n▶ the pull request is merged and a maintainer pushes the tag 1.0.0 ("First release of the store")');
  pr.state = 'closed';
  pr.pull_request!.merged_at = model.now();
  store.branches.set('main', pr.pull_request!.head);
  model.tag(store, '1.0.0', pr.pull_request!.head, 'First release of the store');
  await send('push', tagPush(store, '1.0.0'));
  const issue = store.issues.find((i) => i.labels.includes('release'));
  if (!issue) throw new Error('no release issue was opened');
  const milestone = store.milestones.find((m) => m.number === issue.milestone);
  print(
    `  Issue #${issue.number} "${issue.title}"  [${issue.labels.join(', ')}]  milestone ${milestone?.title ?? '—'}  assigned to ${issue.assignees.join(', ') || '—'}`,
  );
  showChecklist(issue.body, print);

  const say = async (body: string, login: string) => {
    const before = store.comments.length;
    print(`\n▶ ${login} comments on #${issue.number}: ${body}`);
    await send('issue_comment', commentOn(model, store, issue.number, body, login));
    const reply = store.comments.slice(before).find((c) => c.user === 'shipshape[bot]');
    if (!reply) throw new Error(`no reply to ${body}`);
    const reaction = store.reactions
      .filter((r) => r.comment === store.comments[before]!.id)
      .map((r) => r.content)
      .pop();
    print(`  ${reaction ? `${EMOJI[reaction] ?? reaction} ` : ''}shipshape[bot]: ${reply.body.split('\n').filter(Boolean).join('\n    ')}`);
    return reply.body;
  };
  const deployed = async (environment: string) => {
    const deployment = store.deployments.filter((d) => d.environment === environment).pop();
    if (!deployment) throw new Error(`no deployment to ${environment} was created`);
    print(
      `  GitHub deployment #${deployment.id} of ${deployment.ref} (${deployment.sha.slice(0, 7)}) to ${environment}; the CD pipeline reports success`,
    );
    await send('deployment_status', deploymentStatus(model, store, deployment.id, 'success'));
    const notice = store.comments.filter((c) => c.user === 'shipshape[bot]').pop();
    if (notice) print(`  shipshape[bot]: ${notice.body.split('\n').filter(Boolean)[0]}`);
  };

  await say('/approve', OWNER);
  await say('/deploy staging', PLATFORM);
  await deployed('staging');
  await say('/verify staging', PLATFORM);
  await say('/deploy production', PLATFORM);
  await deployed('production');
  await say('/verify production', PLATFORM);
  await say('/publish', OWNER);
  const release = store.releases.find((r) => r.tag_name === '1.0.0');
  print(
    `\n  GitHub release ${release ? `"${release.name}" published` : 'NOT published'}; issue #${issue.number} ${issue.state}; milestone ${milestone?.title} ${milestone?.state}`,
  );
  showChecklist(issue.body, print);
  if (!release || issue.state !== 'closed' || milestone?.state !== 'closed')
    throw new Error('the release did not end published with its issue and milestone closed');
}

function showChecklist(body: string, print: Print): void {
  // As GitHub renders it: hidden HTML comments are not shown.
  for (const line of body.split('\n').filter((l) => /^\s*- \[[ xX]\]/.test(l))) print(`    ${line.replace(/<!--.*?-->/g, '').trim()}`);
}
