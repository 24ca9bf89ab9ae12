/** Repository settings in the simulated GitHub, for the settings audit's handler, CLI and e2e tests and the bench. */
import { ProbotOctokit } from 'probot';
import type { GitHub } from '../../src/github/client.js';
import type { GitHubModel, Repo } from '../../sim/model.js';
import type { GitHubSimulator } from '../../sim/server.js';
import { testPrivateKey } from './server.js';
import { protectionFromBody, settingsOf, type SimEnvironment, type SimRuleset } from '../../sim/settings.js';

let nextId = 900;
export const simEnvironment = (name: string, extra: Partial<SimEnvironment> = {}): SimEnvironment => ({
  id: nextId++,
  name,
  reviewers: [],
  deployment_branch_policy: null,
  branchPolicies: [],
  customRules: [],
  ...extra,
});

export const PROTECTION_BODY = {
  required_status_checks: { strict: true, contexts: ['shipshape/policy'] },
  enforce_admins: false,
  required_pull_request_reviews: { required_approving_review_count: 1 },
  restrictions: null,
};

/** Settings that pass every check: protected main, gated production limited to release tags, push protection on. */
export function makeCompliant(repo: Repo): Repo {
  const s = settingsOf(repo);
  s.protection.set(repo.defaultBranch, protectionFromBody(PROTECTION_BODY));
  s.environments = [
    simEnvironment('staging'),
    simEnvironment('production', {
      reviewers: [{ type: 'User', id: 7, login: 'lead' }],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      branchPolicies: [
        { id: nextId++, name: 'v[0-9]*.[0-9]*.[0-9]*', type: 'tag' },
        { id: nextId++, name: '[0-9]*.[0-9]*.[0-9]*', type: 'tag' },
      ],
    }),
  ];
  s.securityAndAnalysis = { secret_scanning: { status: 'enabled' }, secret_scanning_push_protection: { status: 'enabled' } };
  return repo;
}

export const protectingRuleset = (enforcement: SimRuleset['enforcement'], name = 'protect main'): SimRuleset => ({
  id: nextId++,
  name,
  target: 'branch',
  enforcement,
  source_type: 'Repository',
  conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  rules: [
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 1,
        dismiss_stale_reviews_on_push: false,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_review_thread_resolution: false,
      },
    },
    {
      type: 'required_status_checks',
      parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context: 'shipshape/policy' }] },
    },
    { type: 'non_fast_forward' },
    { type: 'deletion' },
  ],
});

export const STORE_FILES = { 'README.md': '# store', '.github/shipshape.yml': 'audit:\n  action: issue\n' };

export function auditedRepo(model: GitHubModel, name = 'store', config = 'audit:\n  action: issue\n', owner = 'css01'): Repo {
  return model.addRepo(owner, name, { ...STORE_FILES, '.github/shipshape.yml': config });
}

/** An outside collaborator (not an organization member) with the admin role. */
export function addOutsideAdmin(repo: Repo, login: string): void {
  repo.permissions.set(login, 'admin');
  settingsOf(repo).outsideCollaborators.add(login);
}

/** The app's client for installation 1 on a running simulator, as the audit uses it (no throttling or retries, so counts are exact). */
export function installationClient(sim: GitHubSimulator): GitHub {
  return new ProbotOctokit({
    baseUrl: `${sim.url}/api/v3`,
    auth: { appId: 1, privateKey: testPrivateKey, installationId: 1 },
    throttle: { enabled: false as const },
    retry: { enabled: false },
  });
}
