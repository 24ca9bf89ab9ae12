/** The audit as a whole: levels, off switches, cannot-audit, fixes as data, and the requests they become. */
import { runAudit } from '../../src/audit/audit.js';
import { settingRequests } from '../../src/audit/fix.js';
import { renderIssueBody } from '../../src/audit/report.js';
import { compliantFacts, context, forbidden, ok } from '../helpers/audit-facts.js';

describe('runAudit', () => {
  it('a compliant repository passes every check that applies', () => {
    const result = runAudit(compliantFacts(), context());
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual([
      'branch-protected',
      'branch-no-force-push',
      'environments-exist',
      'production-gated',
      'production-release-tags',
      'no-outside-admin',
      'push-protection',
    ]);
  });

  it('levels come from audit.checks: warning, off', () => {
    const facts = compliantFacts({ pushProtection: ok('disabled'), outsideAdmins: ok(['x']) });
    const result = runAudit(facts, context({ audit: { checks: { 'push-protection': 'warning', 'no-outside-admin': 'off' } } }));
    expect(result.findings.map((f) => `${f.check}:${f.severity}`)).toEqual(['push-protection:warning']);
  });

  it('a missing permission is "cannot audit", never a finding', () => {
    const result = runAudit(compliantFacts({ classic: forbidden(), environments: forbidden('Actions (read)') }), context());
    expect(result.findings).toEqual([]);
    expect(result.cannotAudit.map((c) => c.check)).toEqual([
      'branch-protected',
      'branch-no-force-push',
      'environments-exist',
      'production-gated',
      'production-release-tags',
    ]);
  });

  it('fixes only fixable checks, and the issue body lists each finding with its page', () => {
    const facts = compliantFacts({ classic: ok(null), outsideAdmins: ok(['contractor']), pushProtection: ok('disabled') });
    const result = runAudit(facts, context());
    expect(result.fixes.map((f) => f.check)).toEqual(['branch-protected', 'branch-no-force-push', 'push-protection']);
    const body = renderIssueBody('css01/store', result, ['a change']);
    expect(body).toContain('### ❌ `no-outside-admin` (error)');
    expect(body).toContain('- **Settings page:** https://github.com/css01/store/settings/access');
    expect(body).toContain('## Changed by Shipshape (`audit.action: fix`)\n\n- a change');
  });
});

describe('settingRequests', () => {
  it('one protection PUT for all protection changes, keeping what the rule already sets', () => {
    const raw = {
      required_status_checks: { strict: true, contexts: ['ci/build'], checks: [{ context: 'ci/build', app_id: null }] },
      required_pull_request_reviews: {
        required_approving_review_count: 0,
        require_code_owner_reviews: true,
        dismissal_restrictions: { users: [{ login: 'a' }], teams: [], apps: [] },
      },
      restrictions: { users: [{ login: 'bot' }], teams: [{ slug: 'core' }], apps: [] },
      enforce_admins: { enabled: true },
      allow_force_pushes: { enabled: true },
      required_linear_history: { enabled: true },
    };
    const facts = compliantFacts({
      classic: ok({
        requiredReviews: 0,
        statusChecks: ['ci/build'],
        strict: true,
        allowForcePushes: true,
        allowDeletions: false,
        enforceAdmins: true,
        raw,
      }),
    });
    const requests = settingRequests(
      [
        { kind: 'branch-protection', branch: 'main', reviews: 1, statusCheck: 'shipshape/policy' },
        { kind: 'branch-protection', branch: 'main', blockForcePushes: true },
      ],
      facts,
    );
    expect(requests).toEqual([
      {
        route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
        params: {
          branch: 'main',
          required_status_checks: { strict: true, contexts: ['ci/build', 'shipshape/policy'] },
          enforce_admins: true,
          required_pull_request_reviews: {
            dismiss_stale_reviews: false,
            require_code_owner_reviews: true,
            required_approving_review_count: 1,
            require_last_push_approval: false,
            dismissal_restrictions: { users: ['a'], teams: [], apps: [] },
          },
          restrictions: { users: ['bot'], teams: ['core'], apps: [] },
          required_linear_history: true,
          allow_force_pushes: false,
          allow_deletions: false,
          required_conversation_resolution: false,
          lock_branch: false,
        },
        describe:
          '`main` branch protection: at least 1 approving review(s), the `shipshape/policy` status check, no force pushes (its other settings kept)',
      },
    ]);
  });

  it('a release tag policy keeps the environment reviewers and adds one tag rule per pattern', () => {
    const facts = compliantFacts();
    expect(
      settingRequests([{ kind: 'release-tag-policy', environment: 'production', patterns: ['v[0-9]*', '[0-9]*'] }], facts).map((r) => [
        r.route,
        r.params,
      ]),
    ).toEqual([
      [
        'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        {
          environment_name: 'production',
          reviewers: [{ type: 'User', id: 7 }],
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
        },
      ],
      [
        'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
        { environment_name: 'production', name: 'v[0-9]*', type: 'tag' },
      ],
      [
        'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
        { environment_name: 'production', name: '[0-9]*', type: 'tag' },
      ],
    ]);
  });
});
