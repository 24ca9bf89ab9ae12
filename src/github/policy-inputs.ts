/**
 * Gathering everything one policy check needs from GitHub into one plain value (`PolicyInputs`), in as few
 * requests as GitHub allows: for a pull request of up to 100 changed files, two GraphQL reads —
 *   1. the configuration files (base, head, org), the commit's tree, the changed paths, and the root dbt
 *      packages files (whose git refs the second read resolves);
 *   2. the contents the formats read, the base's dashboard versions when they matter, and the ref facts;
 * plus the check-run write. More requests only for: `_extends` files, trees nested deeper than the read
 * goes, more than 100 files to read, git refs in packages files below the root, and the core's dashboards
 * at its pin when a dbt project enables the whole core package (one read).
 */
import { CONFIG_PATH } from '../config/load.js';
import { resolveConfig } from '../config/resolve.js';
import { MemorySnapshot, MAX_FILE_BYTES, type FileContent } from '../core/files.js';
import { CHECK_NAME } from '../policy/report.js';
import { configTexts, type PolicyInputs } from '../policy/decide.js';
import { FORMATS } from '../policy/formats/index.js';
import { comparesBase, isBaseFile, lookupsFor, packageLookups } from '../policy/needs.js';
import { ParsedRepo, pathsToRead } from '../policy/parsed.js';
import type { RefFactsData } from '../policy/types.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';
import { fetchExtends } from './config-source.js';
import { fetchPackageFacts, gitHubHost } from './package-facts.js';
import { fetchRefFacts, notAsked, refFactsSelection } from './ref-facts.js';
import { BLOB_FIELDS, blobContent, blobSelection, chunks, declare, type BlobNode } from './repo-files.js';

export interface PolicyTarget {
  owner: string;
  repo: string;
  /** The commit that gets the check run. */
  headSha: string;
  /** The commit whose shipshape.yml applies: the PR's base, or the pushed commit itself. */
  configSha: string;
  /** Set for pull requests: rules that judge a change (dashboard versions) compare with the base. */
  pullNumber?: number;
  /**
   * The webhook delivery this check answers. It is recorded on the check run, and a redelivery of it (GitHub
   * keeps the delivery id) posts nothing when its run is complete — asked in the first read. A new event on
   * the same head (reopened, another pull request) is a new delivery and gets its own check.
   */
  delivery?: string;
}

/** The check run's `external_id` naming the delivery it answers. */
export const deliveryRecord = (delivery: string): string => `delivery:${delivery}`;

/** Levels of the tree read in the first query; a deeper repository costs one REST tree request more. */
const TREE_DEPTH = 8;
/** Read with the first query, before the tree is known: their git refs are resolved by the second. */
const ROOT_PACKAGE_FILES = ['packages.yml', 'dependencies.yml'];
const CHANGED_FILES_PAGE = 100;

interface TreeEntryNode {
  path: string;
  type: string;
  size: number;
  object?: { entries?: TreeEntryNode[] } | null;
}

/** `fragment T1 on Tree { entries { path type size object { ...T2 } } }` … down to TREE_DEPTH. */
function treeFragments(depth = TREE_DEPTH): string {
  return Array.from({ length: depth }, (_, i) => {
    const nested = i + 1 < depth ? ` object { ...T${i + 2} }` : '';
    return `fragment T${i + 1} on Tree { entries { path type size${nested} } }`;
  }).join(' ');
}

function flattenTree(
  entries: TreeEntryNode[] | undefined,
  level = 1,
  out = { paths: [] as string[], sizes: new Map<string, number>(), tooDeep: false },
) {
  for (const e of entries ?? []) {
    if (e.type === 'blob') {
      out.paths.push(e.path);
      out.sizes.set(e.path, e.size);
    } else if (e.type === 'tree') {
      if (level >= TREE_DEPTH) out.tooDeep = true;
      else flattenTree(e.object?.entries, level + 1, out);
    }
  }
  return out;
}

interface Overview {
  alreadyChecked: boolean;
  config: { repo?: FileContent; head?: FileContent; org?: FileContent };
  tree: { paths: string[]; sizes: Map<string, number>; truncated: boolean };
  changed?: { paths: string[]; hasMore: boolean; cursor?: string };
  early: Map<string, FileContent>;
}

/** Request 1: configuration, tree, changed paths and the root packages files, in one GraphQL query. */
async function readOverview(octokit: GitHub, target: PolicyTarget): Promise<Overview> {
  const { owner, repo, headSha, configSha, pullNumber } = target;
  const early = blobSelection(headSha, ROOT_PACKAGE_FILES, 'k');
  const vars: Record<string, string | number> = { owner, repo, cfg: `${configSha}:${CONFIG_PATH}`, root: `${headSha}:`, ...early.vars };
  const fields = ['cfg: object(expression: $cfg) { ...B }', 'tree: object(expression: $root) { ...T1 }', ...early.fields];
  if (configSha !== headSha) {
    vars.headCfg = `${headSha}:${CONFIG_PATH}`;
    fields.push('headCfg: object(expression: $headCfg) { ...B }');
  }
  if (target.delivery !== undefined) {
    vars.head = headSha;
    vars.checkName = CHECK_NAME;
    fields.push(
      'head: object(expression: $head) { ... on Commit { checkSuites(first: 50) { nodes { checkRuns(first: 50, filterBy: { checkName: $checkName, status: COMPLETED }) { nodes { externalId } } } } } }',
    );
  }
  if (pullNumber !== undefined) {
    vars.pr = pullNumber;
    fields.push(`pullRequest(number: $pr) { files(first: ${CHANGED_FILES_PAGE}) { nodes { path } pageInfo { hasNextPage endCursor } } }`);
  }
  const org = `org: repository(owner: $owner, name: ".github") { cfg: object(expression: "HEAD:${CONFIG_PATH}") { ...B } }`;
  const query = `query(${declare(vars)}) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } ${org} } ${BLOB_FIELDS} ${treeFragments()}`;
  type Files = { nodes: Array<{ path: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  type Suites = { checkSuites?: { nodes: Array<{ checkRuns: { nodes: Array<{ externalId: string | null }> } }> } };
  type Data = {
    repository:
      | (Record<string, unknown> & {
          head?: Suites | null;
          cfg: BlobNode | null;
          headCfg?: BlobNode | null;
          tree: { entries?: TreeEntryNode[] } | null;
          pullRequest?: { files: Files } | null;
        })
      | null;
    org: { cfg: BlobNode | null } | null;
  };
  const data = await graphqlAllowingNotFound<Data>(octokit, query, vars);
  const r = data.repository;
  if (!r) throw new Error(`repository ${owner}/${repo} is not readable by the app`);
  if (!r.tree) throw new Error(`commit ${headSha} of ${owner}/${repo} was not found`);
  const flat = flattenTree(r.tree.entries);
  const tree = flat.tooDeep ? await restTree(octokit, owner, repo, headSha) : { paths: flat.paths, sizes: flat.sizes, truncated: false };
  const earlyFiles = new Map<string, FileContent>();
  early.read(r, earlyFiles);
  const files = r.pullRequest?.files;
  return {
    alreadyChecked:
      target.delivery !== undefined &&
      !!r.head?.checkSuites?.nodes.some((suite) =>
        suite.checkRuns.nodes.some((run) => run.externalId === deliveryRecord(target.delivery!)),
      ),
    config: {
      repo: blobContent(r.cfg),
      head: configSha === headSha ? undefined : blobContent(r.headCfg),
      org: data.org ? blobContent(data.org.cfg) : undefined,
    },
    tree,
    changed: files
      ? { paths: files.nodes.map((n) => n.path), hasMore: files.pageInfo.hasNextPage, cursor: files.pageInfo.endCursor ?? undefined }
      : undefined,
    early: earlyFiles,
  };
}

/** Only for trees nested deeper than the GraphQL read: GitHub's recursive tree (which may itself truncate). */
async function restTree(octokit: GitHub, owner: string, repo: string, sha: string) {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: sha, recursive: '1' });
  const blobs = data.tree.filter((e) => e.type === 'blob' && e.path);
  return { paths: blobs.map((e) => e.path), sizes: new Map(blobs.map((e) => [e.path, e.size ?? 0])), truncated: data.truncated };
}

/** The rest of the changed paths of a pull request with more than 100 (only when a rule compares with the base). */
async function moreChangedPaths(octokit: GitHub, target: PolicyTarget, cursor: string | undefined): Promise<string[]> {
  const out: string[] = [];
  const query = `query($owner: String!, $repo: String!, $pr: Int!, $after: String) { repository(owner: $owner, name: $repo) { pullRequest(number: $pr) { files(first: ${CHANGED_FILES_PAGE}, after: $after) { nodes { path } pageInfo { hasNextPage endCursor } } } } }`;
  for (let page = 0; cursor && page < 30; page++) {
    type Data = {
      repository: {
        pullRequest: { files: { nodes: Array<{ path: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      };
    };
    const data = await octokit.graphql<Data>(query, { owner: target.owner, repo: target.repo, pr: target.pullNumber, after: cursor });
    const files = data.repository.pullRequest.files;
    out.push(...files.nodes.map((n) => n.path));
    cursor = files.pageInfo.hasNextPage ? (files.pageInfo.endCursor ?? undefined) : undefined;
  }
  return out;
}

export async function gatherPolicyInputs(octokit: GitHub, target: PolicyTarget): Promise<PolicyInputs> {
  const { owner, repo, headSha, configSha } = target;
  const overview = await readOverview(octokit, target);
  const inputs: PolicyInputs = {
    alreadyChecked: overview.alreadyChecked,
    owner,
    config: { ...overview.config },
    tree: { paths: overview.tree.paths, truncated: overview.tree.truncated },
    files: {},
    facts: { kinds: {}, tags: {} },
  };
  if (overview.alreadyChecked) return inputs;
  inputs.config.extended = await fetchExtends(octokit, configTexts(inputs));
  // A pull request's proposed `_extends` is never fetched (decide validates that file alone).
  const outcome = resolveConfig(configTexts(inputs));
  // Absent, disabled or invalid: the check is skipped or fails on its configuration; nothing more to read.
  if (outcome.kind !== 'ok') return inputs;
  const config = outcome.config;

  // Request 2: the contents, the base's versions when they matter, and the refs the root packages files name.
  const files = new Map<string, FileContent>(overview.early);
  const toRead: string[] = [];
  for (const p of pathsToRead(overview.tree.paths)) {
    if (files.has(p)) continue;
    const size = overview.tree.sizes.get(p) ?? 0;
    if (size > MAX_FILE_BYTES) files.set(p, { kind: 'too-large', size });
    else toRead.push(p);
  }
  const compare = target.pullNumber !== undefined && overview.changed && comparesBase(config);
  const baseToRead = compare ? overview.tree.paths.filter(isBaseFile) : [];
  const asked = lookupsFor(new ParsedRepo(new MemorySnapshot(files)), config);
  const facts: RefFactsData = { kinds: {}, tags: {} };
  const baseFiles = new Map<string, FileContent>();
  const batches = chunks([
    ...toRead.map((p) => ({ sha: headSha, path: p, into: files })),
    ...baseToRead.map((p) => ({ sha: configSha, path: p, into: baseFiles })),
  ]);
  for (const [index, batch] of (batches.length ? batches : [[]]).entries()) {
    const head = blobSelection(
      headSha,
      batch.filter((b) => b.into === files).map((b) => b.path),
      'f',
    );
    const base = blobSelection(
      configSha,
      batch.filter((b) => b.into === baseFiles).map((b) => b.path),
      'b',
    );
    const refs = index === 0 ? refFactsSelection(asked) : undefined;
    const blobFields = [...head.fields, ...base.fields];
    if (blobFields.length === 0 && (!refs || refs.empty)) continue;
    const vars = { owner, repo, ...head.vars, ...base.vars, ...(refs?.vars ?? {}) };
    const repoBlock = blobFields.length ? `repository(owner: $owner, name: $repo) { ${blobFields.join(' ')} }` : '';
    const query = `query(${declare(blobFields.length ? vars : { ...(refs?.vars ?? {}) })}) { ${repoBlock} ${refs?.fields.join(' ') ?? ''} } ${blobFields.length ? BLOB_FIELDS : ''}`;
    const data = await graphqlAllowingNotFound<Record<string, unknown> & { repository?: Record<string, unknown> | null }>(
      octokit,
      query,
      blobFields.length ? vars : (refs?.vars ?? {}),
    );
    if (blobFields.length && !data.repository) throw new Error(`repository ${owner}/${repo} is not readable by the app`);
    head.read(data.repository, files);
    base.read(data.repository, baseFiles);
    refs?.read(data, facts);
  }

  // Request 3, only when packages files below the root name refs the second read did not resolve.
  const parsed = new ParsedRepo(new MemorySnapshot(files), FORMATS, config.ignore);
  const wanted = lookupsFor(parsed, config);
  await fetchRefFacts(octokit, notAsked(wanted, asked), facts);
  // One more, only when a dbt project enables the whole core package: the core's dashboards at its pin,
  // where the core's URL is on the GitHub this installation reads (never a same-named repository elsewhere).
  const host = gitHubHost(octokit);
  if (host !== 'github.com') facts.host = host;
  await fetchPackageFacts(octokit, packageLookups(parsed, config, host), facts);

  inputs.files = Object.fromEntries(files);
  inputs.facts = facts;
  if (compare && overview.changed) {
    const changedPaths = overview.changed.hasMore
      ? [...overview.changed.paths, ...(await moreChangedPaths(octokit, target, overview.changed.cursor))]
      : overview.changed.paths;
    inputs.change = { changedPaths, baseFiles: Object.fromEntries(baseFiles) };
  }
  return inputs;
}
