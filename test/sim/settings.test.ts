/** The simulator's repository settings: GitHub's request shapes, its answers, and 403 without the permission. */
import { GitHubModel } from '../../sim/model.js';
import { handleRest } from '../../sim/rest.js';
import { settingsOf } from '../../sim/settings.js';
import { addOutsideAdmin, PROTECTION_BODY, protectingRuleset } from '../helpers/audit-sim.js';

const setup = () => {
  const model = new GitHubModel();
  const repo = model.addRepo('o', 'r', { 'README.md': '# r' });
  return { model, repo, rest: (method: string, path: string, body?: unknown) => handleRest(model, { method, path, body }) };
};

it('classic protection: PUT in GitHub\'s shape, GET answers it; an unprotected branch is 404 "Branch not protected"', () => {
  const { rest, model } = setup();
  expect(rest('GET', '/repos/o/r/branches/main/protection')).toEqual([404, expect.objectContaining({ message: 'Branch not protected' })]);
  expect(rest('PUT', '/repos/o/r/branches/main/protection', PROTECTION_BODY)[0]).toBe(200);
  expect(rest('GET', '/repos/o/r/branches/main/protection')[1]).toMatchObject({
    required_pull_request_reviews: { required_approving_review_count: 1 },
    required_status_checks: { contexts: ['shipshape/policy'] },
    allow_force_pushes: { enabled: false },
  });
  // GitHub requires the four top-level keys.
  expect(rest('PUT', '/repos/o/r/branches/main/protection', { required_status_checks: null })[0]).toBe(422);
  expect(model.violations.splice(0).join('\n')).toMatch(/must have required property 'enforce_admins'/);
});

it('rules/branches lists the rules of active rulesets only; the ruleset list shows evaluate mode', () => {
  const { rest, repo } = setup();
  settingsOf(repo).rulesets = [protectingRuleset('active', 'on'), protectingRuleset('evaluate', 'trial')];
  const [, rules] = rest('GET', '/repos/o/r/rules/branches/main');
  expect((rules as Array<{ type: string }>).map((r) => r.type)).toEqual([
    'pull_request',
    'required_status_checks',
    'non_fast_forward',
    'deletion',
  ]);
  expect((rest('GET', '/repos/o/r/rulesets')[1] as Array<{ enforcement: string }>).map((r) => r.enforcement)).toEqual([
    'active',
    'evaluate',
  ]);
  expect(rest('GET', '/repos/o/r/rules/branches/other')[1]).toEqual([]);
});

it('environments and tag policies: created by PUT, policies only under custom branch policies', () => {
  const { rest, repo, model } = setup();
  expect(rest('PUT', '/repos/o/r/environments/production')[0]).toBe(200);
  expect(rest('POST', '/repos/o/r/environments/production/deployment-branch-policies', { name: 'v*', type: 'tag' })[0]).toBe(404);
  rest('PUT', '/repos/o/r/environments/production', {
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
  });
  expect(rest('POST', '/repos/o/r/environments/production/deployment-branch-policies', { name: 'v*', type: 'tag' })[0]).toBe(200);
  expect(settingsOf(repo).environments[0]!.branchPolicies).toMatchObject([{ name: 'v*', type: 'tag' }]);
  expect(rest('PUT', '/repos/o/r/environments/production', { deployment_branch_policy: { protected_branches: true } })[0]).toBe(422);
  expect(model.violations.pop()).toMatch(/custom_branch_policies/);
});

it('a missing permission answers 403 as GitHub does for an integration', () => {
  const { rest, repo } = setup();
  settingsOf(repo).forbidden.add('administration');
  expect(rest('GET', '/repos/o/r/branches/main/protection')).toEqual([
    403,
    expect.objectContaining({ message: 'Resource not accessible by integration' }),
  ]);
  expect(rest('GET', '/repos/o/r')[1]).not.toHaveProperty('security_and_analysis');
});

it('collaborators filter by affiliation and permission', () => {
  const { rest, repo } = setup();
  repo.permissions.set('in', 'admin');
  addOutsideAdmin(repo, 'out');
  repo.permissions.set('w', 'write');
  settingsOf(repo).outsideCollaborators.add('w');
  expect(
    (rest('GET', '/repos/o/r/collaborators?affiliation=outside&permission=admin')[1] as Array<{ login: string }>).map((c) => c.login),
  ).toEqual(['out']);
  expect((rest('GET', '/repos/o/r/collaborators')[1] as Array<{ login: string }>).map((c) => c.login)).toEqual(['in', 'out', 'w']);
});
