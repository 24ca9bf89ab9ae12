/**
 * `shipshape audit OWNER/REPO` against the simulated GitHub over HTTP (GHE layout), with a token the
 * simulator issued: the same findings as the app, the exit codes of `check`, and nothing written.
 */
import { createSign } from 'node:crypto';
import { main } from '../src/cli.js';
import { GitHubModel } from '../sim/model.js';
import { GitHubSimulator } from '../sim/server.js';
import { settingsOf } from '../sim/settings.js';
import { auditedRepo, makeCompliant } from './helpers/audit-sim.js';
import { testPrivateKey } from './helpers/server.js';

let sim: GitHubSimulator;
let token: string;

function appJwt(): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 30, exp: now + 300, iss: 1 })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(testPrivateKey).toString('base64url')}`;
}

beforeAll(async () => {
  sim = await new GitHubSimulator(new GitHubModel(), { appId: 1, privateKeyPem: testPrivateKey }).start();
  const res = await fetch(`${sim.url}/api/v3/app/installations/1/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${appJwt()}` },
  });
  token = ((await res.json()) as { token: string }).token;
  makeCompliant(auditedRepo(sim.model, 'good'));
  auditedRepo(sim.model, 'bad');
  const hidden = makeCompliant(auditedRepo(sim.model, 'hidden'));
  settingsOf(hidden).forbidden.add('administration');
  sim.model.addRepo('css01', 'noconfig', { 'README.md': '' });
  settingsOf(sim.model.repo('css01', 'noconfig')!).securityAndAnalysis = null;
});
afterAll(() => sim.stop());
afterEach(() => expect(sim.model.violations).toEqual([]));

async function audit(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env;
  const merged: Record<string, string | undefined> = { ...saved, GITHUB_TOKEN: token, GITHUB_API_URL: `${sim.url}/api/v3`, ...env };
  process.env = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
  try {
    const code = await main(['audit', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.env = saved;
  }
}

it('a compliant repository exits 0, read-only', async () => {
  const before = sim.model.requests.length;
  const r = await audit(['css01/good']);
  expect(r.stdout).toContain('No findings. 0 error(s), 0 warning(s); 7 check(s) in policy, 0 not audited');
  expect(r.code).toBe(0);
  expect(sim.model.requests.slice(before).filter((q) => q.method !== 'GET' && !q.graphql)).toEqual([]);
  expect(r.stderr).toContain('note: 6 API request(s)');
});

it('findings exit 1, as JSON with setting, fix and page', async () => {
  const r = await audit(['css01/bad', '--format', 'json']);
  expect(r.code).toBe(1);
  const json = JSON.parse(r.stdout) as { findings: Array<Record<string, string>> };
  expect(json.findings.map((f) => f.check)).toEqual([
    'branch-protected',
    'branch-protected',
    'branch-no-force-push',
    'branch-no-force-push',
    'environments-exist',
    'environments-exist',
    'push-protection',
  ]);
  expect(json.findings[0]).toMatchObject({
    severity: 'error',
    setting: expect.stringContaining('Required number of approvals'),
    fix: expect.any(String),
    url: 'http://github.sim/css01/bad/settings/branches',
  });
});

it('--format github prints one annotation per finding', async () => {
  const r = await audit(['css01/bad', '--format', 'github']);
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n')[0]).toMatch(
    /^::error title=branch-protected::The default branch `main` requires 0 approving review\(s\).*%0ASetting: .*%0AFix: .*%0Ahttp:\/\/github.sim\/css01\/bad\/settings\/branches$/,
  );
});

it('settings the token cannot see are "not audited", not findings', async () => {
  const r = await audit(['css01/hidden']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('css01/hidden  note  branch-protected: cannot audit: the token lacks the Administration (read) permission');
  expect(r.stdout).not.toContain('error  ');
});

it('without shipshape.yml it audits with the defaults and says so', async () => {
  const r = await audit(['css01/noconfig']);
  expect(r.stderr).toContain('note: no shipshape.yml in the repository or its organization: audited with the defaults');
  expect(r.code).toBe(1);
});

it('usage errors and a missing token exit 2', async () => {
  expect((await audit([])).code).toBe(2);
  expect((await audit(['not-a-repo'])).stderr).toContain('`not-a-repo` is not OWNER/REPO');
  const noToken = await audit(['css01/good'], { GITHUB_TOKEN: undefined });
  expect(noToken.code).toBe(2);
  expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');
  const missing = await audit(['css01/nope']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/cannot read css01\/nope/);
  sim.model.violations.length = 0;
});

it('GHE_HOST and GHE_PROTOCOL work like GITHUB_API_URL', async () => {
  const r = await audit(['css01/good'], { GITHUB_API_URL: undefined, GHE_HOST: sim.host, GHE_PROTOCOL: 'http' });
  expect(r.code).toBe(0);
});
