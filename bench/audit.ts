/**
 * The settings audit's cost: API requests for one audit (by path: a webhook, or the daily schedule that
 * already holds the repository from its listing), and what a 2,000-repository organization costs within
 * one installation's rate limits. Measured against the simulator over HTTP (GitHub's secondary limits
 * enforced), with the audit flow the app runs. Run alone with `npx tsx bench/audit.ts`.
 */
import { createSign } from 'node:crypto';
import { ProbotOctokit } from 'probot';
import { auditRepository, type AuditTarget } from '../src/flows/audit-repository.js';
import type { RepositoryData } from '../src/github/audit-facts.js';
import { GitHubModel } from '../src/sim/model.js';
import { GitHubSimulator } from '../src/sim/server.js';
import { settingsOf } from '../src/sim/settings.js';
import { auditedRepo, makeCompliant, protectingRuleset } from '../test/helpers/audit-sim.js';
import { testPrivateKey } from '../test/helpers/server.js';

const ORG_SIZE = 2000;
/** GitHub's primary limit for an installation: 5,000 requests an hour, +50 per repository beyond 20 in an organization, at most 12,500. */
const FLOOR_PER_HOUR = 5000;
const SCALED_PER_HOUR = Math.min(12_500, 5000 + 50 * (ORG_SIZE - 20));
const GRAPHQL_POINTS_PER_HOUR = 5000;
const SWEEP = Number(process.env.BENCH_AUDIT_SWEEP ?? 200);

function appJwt(): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 30, exp: now + 300, iss: 1 })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(testPrivateKey).toString('base64url')}`;
}

export interface AuditBench {
  rows: Array<{ scenario: string; rest: number; graphql: number }>;
  sweep: { repositories: number; seconds: number; restPerAudit: number; graphqlPerAudit: number; refused: number; violations: number };
  org: {
    repositories: number;
    restRequests: number;
    graphqlPoints: number;
    hoursAtFloor: number;
    hoursAtScaled: number;
    graphqlHours: number;
    shareOfHourlyBudgetWhenSpread: number;
  };
}

export async function auditBench(): Promise<AuditBench> {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, latencyMs: 5 }).start();
  try {
    const res = await fetch(`${sim.url}/api/v3/app/installations/1/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt()}` },
    });
    const { token } = (await res.json()) as { token: string };
    const octokit = new ProbotOctokit({
      auth: { token },
      baseUrl: `${sim.url}/api/v3`,
      throttle: { enabled: false },
      retry: { enabled: false },
    });
    const log = { info: () => undefined, warn: () => undefined };
    const listing = async () => {
      const { data } = await octokit.request('GET /installation/repositories', { per_page: 100 });
      return new Map(data.repositories.map((r) => [r.name, r as unknown as RepositoryData]));
    };
    const measure = async (target: AuditTarget) => {
      const before = model.requests.length;
      await auditRepository(octokit, target, { log, issue: { raceGraceMs: 0 } });
      const made = model.requests.slice(before);
      return { rest: made.filter((r) => !r.graphql).length, graphql: made.filter((r) => r.graphql).length };
    };

    const rows: AuditBench['rows'] = [];
    makeCompliant(auditedRepo(model, 'classic', 'tool: store\n'));
    const ruleset = makeCompliant(auditedRepo(model, 'ruleset', 'tool: store\n'));
    settingsOf(ruleset).protection.clear();
    settingsOf(ruleset).rulesets = [protectingRuleset('active')];
    const failing = auditedRepo(model, 'failing', 'audit:\n  action: issue\n');
    const listed = await listing();
    rows.push({ scenario: 'compliant, classic protection, from a webhook', ...(await measure({ owner: 'css01', repo: 'classic' })) });
    rows.push({
      scenario: 'compliant, classic protection, from the schedule (listed)',
      ...(await measure({ owner: 'css01', repo: 'classic', repository: listed.get('classic') })),
    });
    rows.push({
      scenario: 'compliant, ruleset only, from the schedule',
      ...(await measure({ owner: 'css01', repo: 'ruleset', repository: listed.get('ruleset') })),
    });
    rows.push({
      scenario: 'out of policy, action issue, first audit (opens the issue)',
      ...(await measure({ owner: 'css01', repo: 'failing', repository: listed.get('failing') })),
    });
    rows.push({
      scenario: 'out of policy, action issue, unchanged since',
      ...(await measure({ owner: 'css01', repo: failing.name, repository: listed.get('failing') })),
    });

    // A sweep as the schedule runs it: a mix of repositories, 20 audits at a time (the work queue allows 32).
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
    const pages: Map<string, RepositoryData> = new Map();
    let listingRequests = 0;
    for (let page = 1; page <= Math.ceil(model.repos.size / 100); page++) {
      listingRequests++;
      const { data } = await octokit.request('GET /installation/repositories', { per_page: 100, page });
      for (const r of data.repositories) pages.set(r.name, r);
    }
    const before = model.requests.length;
    const refusedBefore = sim.refused.length;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < names.length) {
          const name = names[next++]!;
          await auditRepository(octokit, { owner: 'css01', repo: name, repository: pages.get(name) }, { log, issue: { raceGraceMs: 0 } });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const made = model.requests.slice(before);
    const restPerAudit = made.filter((r) => !r.graphql).length / SWEEP;
    const graphqlPerAudit = made.filter((r) => r.graphql).length / SWEEP;
    const restRequests = Math.round(
      restPerAudit * ORG_SIZE + Math.ceil(ORG_SIZE / 100) * (listingRequests / Math.ceil(model.repos.size / 100)),
    );
    const graphqlPoints = Math.round(graphqlPerAudit * ORG_SIZE);
    return {
      rows,
      sweep: {
        repositories: SWEEP,
        seconds,
        restPerAudit,
        graphqlPerAudit,
        refused: sim.refused.length - refusedBefore,
        violations: model.violations.length,
      },
      org: {
        repositories: ORG_SIZE,
        restRequests,
        graphqlPoints,
        hoursAtFloor: restRequests / FLOOR_PER_HOUR,
        hoursAtScaled: restRequests / SCALED_PER_HOUR,
        graphqlHours: graphqlPoints / GRAPHQL_POINTS_PER_HOUR,
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
    '| audit | REST requests | GraphQL queries |',
    '|---|---|---|',
    ...b.rows.map((r) => `| ${r.scenario} | ${r.rest} | ${r.graphql} |`),
    '',
    `Sweep of ${b.sweep.repositories} repositories (70% classic protection, 20% rulesets, 10% out of policy with action issue), 20 at a time: ${f(b.sweep.seconds)} s, ${f(b.sweep.restPerAudit, 2)} REST + ${f(b.sweep.graphqlPerAudit, 2)} GraphQL per audit, ${b.sweep.refused} refused by the secondary limits, ${b.sweep.violations} requests GitHub's description rejects.`,
    '',
    `A ${b.org.repositories}-repository organization: ${b.org.restRequests} REST requests (listing included) = ${f(b.org.hoursAtFloor, 2)} h of an installation's 5,000 requests/hour floor, ${f(b.org.hoursAtScaled, 2)} h of the ${SCALED_PER_HOUR}/hour GitHub grants an installation on an organization with ${b.org.repositories} repositories; ${b.org.graphqlPoints} GraphQL points = ${f(b.org.graphqlHours, 2)} h of the separate 5,000 points/hour. Spread over the day by the schedule: ${f(b.org.shareOfHourlyBudgetWhenSpread * 100)}% of the 5,000/hour floor.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(renderAuditBench(await auditBench()));
