/**
 * What a dbt package's repository holds at its pinned ref — its dbt project name and its dashboard
 * folders — for stores that enable the whole package (see the `dashboards-versioned` rule's `needs.packages`). One
 * GraphQL query for all pins: per pin, the `dbt_project.yml` blob and the `models/dashboards` tree two
 * levels deep. A pin that cannot be read (no such repository, tag or file; no access) is recorded as
 * unknown, and the rule keeps its note: never a finding from a fact it could not read.
 */
import { extractDbtProject } from '../policy/formats/dbt-project.js';
import type { PackagePin } from '../policy/types.js';
import { refKey, type PackageFacts, type RefFactsData } from '../policy/types.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';
import { BLOB_FIELDS, blobContent, declare, type BlobNode } from './repo-files.js';

interface TreeNode {
  entries?: Array<{ name: string; type: string; object?: TreeNode | null }>;
}

type PinResult = { project: BlobNode | null; dashboards: TreeNode | null } | null | undefined;

/** The host git URLs name for the GitHub `octokit` talks to: github.com for api.github.com, else the server's host. */
export function gitHubHost(octokit: GitHub): string {
  const host = new URL(octokit.request.endpoint.DEFAULTS.baseUrl).host;
  return host === 'api.github.com' ? 'github.com' : host;
}

export async function fetchPackageFacts(octokit: GitHub, pins: readonly PackagePin[], into: RefFactsData): Promise<void> {
  if (pins.length === 0) return;
  const packages: Record<string, PackageFacts | null> = (into.packages ??= {});
  const vars: Record<string, string> = {};
  const fields = pins.map((pin, i) => {
    Object.assign(vars, {
      [`o${i}`]: pin.owner,
      [`n${i}`]: pin.repo,
      [`p${i}`]: `${pin.ref}:dbt_project.yml`,
      [`d${i}`]: `${pin.ref}:models/dashboards`,
    });
    return `p${i}: repository(owner: $o${i}, name: $n${i}) { project: object(expression: $p${i}) { ...B } dashboards: object(expression: $d${i}) { ... on Tree { entries { name type object { ... on Tree { entries { name type } } } } } } }`;
  });
  const query = `query(${declare(vars)}) { ${fields.join(' ')} } ${BLOB_FIELDS}`;
  let data: Record<string, PinResult>;
  try {
    data = await graphqlAllowingNotFound<Record<string, PinResult>>(octokit, query, vars);
  } catch (err) {
    // Not readable by this installation (another host's repository, no access) or GitHub failed: unknown, as offline.
    for (const pin of pins) packages[refKey(pin.owner, pin.repo, pin.ref)] = null;
    const reason = `the app could not read ${pins.map((p) => `${p.owner}/${p.repo}@${p.ref}`).join(', ')} (${(err as Error).message.split('\n')[0]})`;
    into.offlineReason = into.offlineReason ? `${into.offlineReason}; ${reason}` : reason;
    return;
  }
  pins.forEach((pin, i) => {
    packages[refKey(pin.owner, pin.repo, pin.ref)] = packageFrom(data[`p${i}`]);
  });
}

function packageFrom(result: PinResult): PackageFacts | null {
  const project = blobContent(result?.project);
  const name = project?.kind === 'text' ? extractDbtProject(project.text).name : undefined;
  if (!result || !name) return null; // no repository, no such ref, or no dbt project there
  const dashboards: string[] = [];
  for (const domain of result.dashboards?.entries ?? []) {
    if (domain.type !== 'tree') continue;
    for (const board of domain.object?.entries ?? []) if (board.type === 'tree') dashboards.push(`${domain.name}/${board.name}`);
  }
  return { name, dashboards: dashboards.sort() };
}
