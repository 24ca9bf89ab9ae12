/**
 * The settings audit's cost: API requests for one audit (by path: a webhook, or the daily schedule that
 * already holds the repository from its listing), and what a 2,000-repository organization costs within
 * one installation's rate limits. Measured against the simulator over HTTP (GitHub's secondary limits
 * enforced), with the audit flow the app runs. Run alone with `npx tsx bench/audit.ts`.
 */
import { ProbotOctokit } from 'probot';
import { auditRepositories, type AuditTarget } from '../src/flows/audit-repository.js';
import { OrgSettingsCache } from '../src/github/audit-rest.js';
import { installedRepositories } from '../src/github/installations.js';
import { queryPoints } from '../sim/graphql-cost.js';
import { GitHubModel } from '../sim/model.js';
import { GitHubSimulator } from '../sim/server.js';
import { orgSettingsOf, settingsOf } from '../sim/settings.js';
import { auditedRepo, makeCompliant, protectingRuleset } from '../test/helpers/audit-sim.js';
import { testPrivateKey } from '../test/helpers/server.js';

const ORG_SIZE = 2000;
/** GitHub's primary limit for an installation: 5,000 requests an hour, +50 per repository beyond 20 in an organization, at most 12,500. */
const FLOOR_PER_HOUR = 5000;
const SCALED_PER_HOUR = Math.min(12_500, 5000 + 50 * (ORG_SIZE - 20));
const GRAPHQL_POINTS_PER_HOUR = 5000;
const SWEEP = Number(process.env.BENCH_AUDIT_SWEEP ?? 200);

/** Repositories audited together by the daily audit when several are due (one GraphQL query for their settings). */
const BATCH = 20;

export interface Cost {
  rest: number;
  graphql: number;
  points: number;
}

export interface AuditBench {
  rows: Array<{ scenario: string } & Cost>;
  sweep: {
    repositories: number;
    seconds: number;
    restPerAudit: number;
    graphqlPerAudit: number;
    pointsPerAudit: number;
    listing: number;
    refused: number;
    violations: number;
  };
  org: {
    repositories: number;
    restRequests: number;
    graphqlPoints: number;
    hoursAtFloor: number;
    hoursAtScaled: number;
    graphqlHoursAtFloor: number;
    graphqlHoursAtScaled: number;
    shareOfHourlyBudgetWhenSpread: number;
  };
}

const costOf = (made: GitHubModel['requests']): Cost => {
  const graphql = made.filter((r) => r.graphql);
  return {
    rest: made.length - graphql.length,
    graphql: graphql.length,
    points: graphql.reduce((n, r) => {
      const body = r.body as { query: string; variables?: Record<string, unknown> };
      return n + queryPoints(body.query, body.variables);
    }, 0),
  };
};

export async function auditBench(): Promise<AuditBench> {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, latencyMs: 5 }).start();
  try {
    // Authenticated as the app is: the installation's token (and the permissions it reports), throttling off to count requests.
    const options = { baseUrl: `${sim.url}/api/v3`, throttle: { enabled: false as const }, retry: { enabled: false } };
    const appOctokit = new ProbotOctokit({ ...options, auth: { appId: 1, privateKey: testPrivateKey } });
    const octokit = new ProbotOctokit({ ...options, auth: { appId: 1, privateKey: testPrivateKey, installationId: 1 } });
    const log = { info: () => undefined, warn: () => undefined };
    const listing = async () =>
      new Map((await installedRepositories(appOctokit, () => Promise.resolve(octokit))).map((t) => [t.repo, t.repository]));
    const measure = async (targets: AuditTarget[]) => {
      const before = model.requests.length;
      await auditRepositories(octokit, targets, { log, issue: { raceGraceMs: 0 } });
      return costOf(model.requests.slice(before));
    };

    const rows: AuditBench['rows'] = [];
    makeCompliant(auditedRepo(model, 'classic', 'tool: store\n'));
    const ruleset = makeCompliant(auditedRepo(model, 'ruleset', 'tool: store\n'));
    settingsOf(ruleset).protection.clear();
    settingsOf(ruleset).rulesets = [protectingRuleset('active')];
    auditedRepo(model, 'failing', 'audit:\n  action: issue\n');
    const pinned = makeCompliant(auditedRepo(model, 'pinned', 'tool: store\nrules:\n  actions-pinned: error\n'));
    settingsOf(pinned).actions.sha_pinning_required = true;
    const listed = await listing();
    const at = (repo: string, listedToo = true): AuditTarget => ({
      owner: 'css01',
      repo,
      repository: listedToo ? listed.get(repo) : undefined,
    });
    rows.push({ scenario: 'compliant, classic protection, from a webhook', ...(await measure([at('classic', false)])) });
    rows.push({ scenario: 'compliant, classic protection, from the schedule (listed)', ...(await measure([at('classic')])) });
    rows.push({ scenario: 'compliant, ruleset only, from the schedule', ...(await measure([at('ruleset')])) });
    rows.push({ scenario: 'out of policy, action issue, first audit (opens the issue)', ...(await measure([at('failing')])) });
    rows.push({ scenario: 'out of policy, action issue, unchanged since', ...(await measure([at('failing')])) });
    // `actions-pinned: error` adds GitHub's SHA-pinning setting: the organization's, read once an hour, and the repository's when that is off.
    const orgCache = new OrgSettingsCache();
    const withCache = async (targets: AuditTarget[]) => {
      const before = model.requests.length;
      await auditRepositories(octokit, targets, { log, issue: { raceGraceMs: 0 }, orgSettings: orgCache });
      return costOf(model.requests.slice(before));
    };
    rows.push({
      scenario: 'compliant, `actions-pinned: error`, organization does not require pinning (first of the hour)',
      ...(await withCache([at('pinned')])),
    });
    rows.push({
      scenario: 'compliant, `actions-pinned: error`, organization does not require pinning (later)',
      ...(await withCache([at('pinned')])),
    });
    orgSettingsOf(model, 'css01').sha_pinning_required = true;
    const orgCache2 = new OrgSettingsCache();
    await auditRepositories(octokit, [at('pinned')], { log, issue: { raceGraceMs: 0 }, orgSettings: orgCache2 });
    const beforeOrg = model.requests.length;
    await auditRepositories(octokit, [at('pinned')], { log, issue: { raceGraceMs: 0 }, orgSettings: orgCache2 });
    rows.push({
      scenario: 'compliant, `actions-pinned: error`, organization requires pinning (later in the hour)',
      ...costOf(model.requests.slice(beforeOrg)),
    });
    orgSettingsOf(model, 'css01').sha_pinning_required = false;

    // A sweep as the daily audit runs it when many are due: a mix of repositories, 20 per batch, two batches at a time.
    const names: string[] = [];
    for (let i = 0; i < SWEEP; i++) {
      const name = `sweep-${i}`;
      const repo = auditedRepo(model, name, i % 10 === 9 ? 'audit:\n  action: issue\n' : 'tool: store\n');
      if (i % 10 !== 9) makeCompliant(repo);
      if (i % 10 >= 7 && i % 10 < 9) {
        settingsOf(repo).protection.clear();
        settingsOf(repo).rulesets = [protectingRuleset('active')];
      }
      names.push(name);
    }
    const beforeListing = model.requests.length;
    const pages = await listing();
    const listingRequests = costOf(model.requests.slice(beforeListing)).rest;
    const before = model.requests.length;
    const refusedBefore = sim.refused.length;
    const started = Date.now();
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += BATCH) batches.push(names.slice(i, i + BATCH));
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          await auditRepositories(
            octokit,
            batch.map((name) => ({ owner: 'css01', repo: name, repository: pages.get(name) })),
            { log, issue: { raceGraceMs: 0 } },
          );
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const swept = costOf(model.requests.slice(before));
    const perAudit = { rest: swept.rest / SWEEP, graphql: swept.graphql / SWEEP, points: swept.points / SWEEP };
    // The listing (installations, the installation's repositories, the organization's) grows with the organization: one request per 100.
    const listingForOrg = 1 + 2 * Math.ceil(ORG_SIZE / 100);
    const restRequests = Math.round(perAudit.rest * ORG_SIZE + listingForOrg);
    const graphqlPoints = Math.round(perAudit.points * ORG_SIZE);
    return {
      rows,
      sweep: {
        repositories: SWEEP,
        seconds,
        restPerAudit: perAudit.rest,
        graphqlPerAudit: perAudit.graphql,
        pointsPerAudit: perAudit.points,
        listing: listingRequests,
        refused: sim.refused.length - refusedBefore,
        violations: model.violations.length,
      },
      org: {
        repositories: ORG_SIZE,
        restRequests,
        graphqlPoints,
        hoursAtFloor: restRequests / FLOOR_PER_HOUR,
        hoursAtScaled: restRequests / SCALED_PER_HOUR,
        graphqlHoursAtFloor: graphqlPoints / FLOOR_PER_HOUR,
        graphqlHoursAtScaled: graphqlPoints / SCALED_PER_HOUR,
        shareOfHourlyBudgetWhenSpread: restRequests / 24 / FLOOR_PER_HOUR,
      },
    };
  } finally {
    await sim.stop();
  }
}

export function renderAuditBench(b: AuditBench): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    '### Repository settings audit',
    '',
    '| audit | REST requests | GraphQL queries | GraphQL points |',
    '|---|---|---|---|',
    ...b.rows.map((r) => `| ${r.scenario} | ${r.rest} | ${r.graphql} | ${r.points} |`),
    '',
    `Sweep of ${b.sweep.repositories} repositories (70% classic protection, 20% rulesets, 10% out of policy with action issue), ${BATCH} per batch: ${f(b.sweep.seconds)} s, ${f(b.sweep.restPerAudit, 2)} REST requests, ${f(b.sweep.graphqlPerAudit, 2)} GraphQL queries and ${f(b.sweep.pointsPerAudit, 2)} GraphQL points per audit (listing: ${b.sweep.listing} requests), ${b.sweep.refused} refused by the secondary limits, ${b.sweep.violations} requests GitHub's description rejects.`,
    '',
    `A ${b.org.repositories}-repository organization: ${b.org.restRequests} REST requests (listing included) = ${f(b.org.hoursAtFloor, 2)} h at an installation's 5,000 requests/hour floor, ${f(b.org.hoursAtScaled, 2)} h at the ${SCALED_PER_HOUR}/hour GitHub grants an installation on an organization with ${b.org.repositories} repositories; ${b.org.graphqlPoints} GraphQL points (a separate budget, scaled alike) = ${f(b.org.graphqlHoursAtFloor, 2)} h at 5,000 points/hour, ${f(b.org.graphqlHoursAtScaled, 2)} h at ${SCALED_PER_HOUR}. Spread over the day by the schedule (a batch per quarter hour): ${f(b.org.shareOfHourlyBudgetWhenSpread * 100)}% of the 5,000/hour floor. (Were every repository audited alone, as a webhook does, GraphQL would cost 2 points each: ${2 * b.org.repositories} points a day, ${f(((2 * b.org.repositories) / 24 / GRAPHQL_POINTS_PER_HOUR) * 100)}% of the floor each hour.)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(renderAuditBench(await auditBench()));
