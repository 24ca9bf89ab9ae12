/**
 * One policy check of one commit: gather (github/policy-inputs.ts) → decide (policy/decide.ts, pure) →
 * publish (github/check-runs.ts). For a pull request of up to 100 changed files that is three requests:
 * two GraphQL reads and the check-run write (plus one update per further 50 annotations).
 */
import { publishCheckRun } from '../github/check-runs.js';
import type { GitHub } from '../github/client.js';
import { describeError } from '../github/errors.js';
import { deliveryRecord, gatherPolicyInputs, type PolicyTarget } from '../github/policy-inputs.js';
import { metrics } from '../ops/metrics.js';
import { decideInProcess, type Decider, type Verdict } from '../ops/decider.js';
import { CHECK_NAME, renderFailure } from '../policy/report.js';
import { done, skipped, type JobOutcome } from './outcome.js';
import { gatherPipelineFacts, ORG_CONFIG_REPOSITORY } from './pipeline-config-check.js';

export type { PolicyTarget } from '../github/policy-inputs.js';

/** `decider` runs the pure decision: in-process by default, on worker threads with a time budget in the server. */
export async function checkCommit(octokit: GitHub, target: PolicyTarget, decider: Decider = decideInProcess): Promise<JobOutcome> {
  let verdict: Verdict;
  try {
    const inputs = await gatherPolicyInputs(octokit, target);
    // The org's `.github` repository: its shipshape.yml's pipelines are judged too, on what GitHub says of their repositories.
    inputs.configScope = target.repo === ORG_CONFIG_REPOSITORY ? 'org' : 'repository';
    if (inputs.configScope === 'org')
      inputs.pipelines = await gatherPipelineFacts(octokit, target.owner, inputs.config.head ?? inputs.config.repo);
    verdict = await decider(inputs);
  } catch (err) {
    // Never a false success: an API failure or a decision past its time budget is a failing check that says why.
    verdict = { kind: 'decided', output: renderFailure(describeError(err)), findings: [] };
  }
  if (verdict.kind === 'skip') return skipped(verdict.reason);
  for (const f of verdict.findings) metrics.findings.inc({ rule: f.rule, severity: f.severity });
  const { output } = verdict;
  const checkRunId = await publishCheckRun(octokit, {
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    name: CHECK_NAME,
    output,
    externalId: target.delivery === undefined ? undefined : deliveryRecord(target.delivery),
  });
  metrics.checkRuns.inc({ name: CHECK_NAME, conclusion: output.conclusion });
  return done(output.conclusion, { checkRunId, headSha: target.headSha });
}
