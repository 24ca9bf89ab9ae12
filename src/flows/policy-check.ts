/**
 * One policy check of one commit: gather (github/policy-inputs.ts) → decide (policy/decide.ts, pure) →
 * publish (github/check-runs.ts). For a pull request of up to 100 changed files that is three requests:
 * two GraphQL reads and the check-run write (plus one update per further 50 annotations).
 */
import { publishCheckRun } from '../github/check-runs.js';
import type { GitHub } from '../github/client.js';
import { describeError } from '../github/errors.js';
import { gatherPolicyInputs, type PolicyTarget } from '../github/policy-inputs.js';
import { metrics } from '../ops/metrics.js';
import { decide, type PolicyDecision } from '../policy/decide.js';
import { CHECK_NAME, renderFailure, type CheckOutput } from '../policy/report.js';
import { done, skipped, type JobOutcome } from './outcome.js';
import { gatherPipelineFacts, ORG_CONFIG_REPOSITORY } from './pipeline-config-check.js';

export type { PolicyTarget } from '../github/policy-inputs.js';

export async function checkCommit(octokit: GitHub, target: PolicyTarget): Promise<JobOutcome> {
  let decision: PolicyDecision | { kind: 'failed'; output: CheckOutput };
  try {
    const inputs = await gatherPolicyInputs(octokit, target);
    // The org's `.github` repository: its shipshape.yml's pipelines are judged too, on what GitHub says of their repositories.
    if (target.repo === ORG_CONFIG_REPOSITORY) inputs.pipelines = await gatherPipelineFacts(octokit, target.owner, inputs.config.head ?? inputs.config.repo);
    decision = decide(inputs);
  } catch (err) {
    // Never a false success: an API failure is a failing check that says why.
    decision = { kind: 'failed', output: renderFailure(describeError(err)) };
  }
  if (decision.kind === 'skip') return skipped(decision.reason);
  if (decision.kind === 'checked') for (const f of decision.result.findings) metrics.findings.inc({ rule: f.rule, severity: f.severity });
  const { output } = decision;
  const checkRunId = await publishCheckRun(octokit, { owner: target.owner, repo: target.repo, headSha: target.headSha, name: CHECK_NAME, output });
  metrics.checkRuns.inc({ name: CHECK_NAME, conclusion: output.conclusion });
  return done(output.conclusion, { checkRunId, headSha: target.headSha });
}
