/** Reading a commit's files: one REST call for the tree, GraphQL for many blobs at once. */
import { CONFIG_PATH } from '../config/load.js';
import { MAX_FILE_BYTES } from '../policy/snapshot.js';
import type { FileContent, FileSnapshot } from '../policy/types.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';

/** Blobs per GraphQL query: keeps each response well under GitHub's limits. */
const BLOBS_PER_QUERY = 100;
const BLOB_FIELDS = 'fragment B on Blob { text isBinary byteSize isTruncated }';

export interface RepoTree {
  paths: string[];
  sizes: Map<string, number>;
  truncated: boolean;
}

export async function getTree(octokit: GitHub, owner: string, repo: string, sha: string): Promise<RepoTree> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: sha, recursive: '1' });
  const blobs = data.tree.filter((e) => e.type === 'blob' && e.path);
  return { paths: blobs.map((e) => e.path!), sizes: new Map(blobs.map((e) => [e.path!, e.size ?? 0])), truncated: data.truncated };
}

interface BlobNode {
  text?: string | null;
  isBinary?: boolean | null;
  byteSize?: number;
  isTruncated?: boolean;
}

export function blobContent(node: BlobNode | null | undefined): FileContent | undefined {
  if (!node || node.byteSize === undefined) return undefined; // missing, or a tree
  if (node.byteSize > MAX_FILE_BYTES || node.isTruncated) return { kind: 'too-large', size: node.byteSize };
  if (node.isBinary || node.text === null || node.text === undefined || node.text.includes('\0')) return { kind: 'binary' };
  return { kind: 'text', text: node.text };
}

export interface ConfigTexts {
  /** The repository's own file at the commit whose policy applies (the base branch for a PR). */
  repo?: FileContent;
  /** The same file at the PR's head, when it differs in commit. */
  head?: FileContent;
  /** The organization's defaults, in `<owner>/.github`. */
  org?: FileContent;
}

/** Aliased `f0: object(expression: $p0) { ...B }` fields for paths at a commit, and how to read the answer. */
function blobSelection(sha: string, paths: string[]) {
  const vars: Record<string, string> = {};
  const fields = paths.map((p, i) => {
    vars[`p${i}`] = `${sha}:${p}`;
    return `f${i}: object(expression: $p${i}) { ...B }`;
  });
  const read = (node: Record<string, BlobNode | null> | null | undefined, into: Map<string, FileContent>) =>
    paths.forEach((p, i) => {
      const content = blobContent(node?.[`f${i}`]);
      if (content) into.set(p, content);
    });
  return { vars, fields, read };
}

function chunks(paths: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < paths.length; i += BLOBS_PER_QUERY) out.push(paths.slice(i, i + BLOBS_PER_QUERY));
  return out.length ? out : [[]];
}

const declare = (vars: Record<string, unknown>) => Object.keys(vars).map((k) => `$${k}: String!`).join(', ');

type RepoBlobs = { repository: Record<string, BlobNode | null> | null; org?: { cfg: BlobNode | null } | null };

/**
 * One GraphQL query: the configuration files and the given blobs at `sha` (more queries only past 100
 * files). Files above the size limit (known from the tree) are not fetched at all.
 */
export async function readConfigAndFiles(
  octokit: GitHub,
  args: { owner: string; repo: string; sha: string; configSha: string; paths: string[]; sizes?: Map<string, number> },
): Promise<{ config: ConfigTexts; files: Map<string, FileContent> }> {
  const files = new Map<string, FileContent>();
  const wanted: string[] = [];
  for (const p of args.paths) {
    const size = args.sizes?.get(p) ?? 0;
    if (size > MAX_FILE_BYTES) files.set(p, { kind: 'too-large', size });
    else wanted.push(p);
  }
  let config: ConfigTexts = {};
  for (const [index, chunk] of chunks(wanted).entries()) {
    const selection = blobSelection(args.sha, chunk);
    const vars: Record<string, string> = { owner: args.owner, repo: args.repo, ...selection.vars };
    const fields = [...selection.fields];
    let org = '';
    if (index === 0) {
      vars.cfg = `${args.configSha}:${CONFIG_PATH}`;
      vars.headCfg = `${args.sha}:${CONFIG_PATH}`;
      fields.push('cfg: object(expression: $cfg) { ...B }', 'headCfg: object(expression: $headCfg) { ...B }');
      org = `org: repository(owner: $owner, name: ".github") { cfg: object(expression: "HEAD:${CONFIG_PATH}") { ...B } }`;
    }
    const query = `query(${declare(vars)}) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } ${org} } ${BLOB_FIELDS}`;
    const data = await graphqlAllowingNotFound<RepoBlobs>(octokit, query, vars);
    if (!data.repository) throw new Error(`repository ${args.owner}/${args.repo} is not readable by the app`);
    selection.read(data.repository, files);
    if (index === 0) {
      config = {
        repo: blobContent(data.repository.cfg),
        head: args.configSha === args.sha ? undefined : blobContent(data.repository.headCfg),
        org: data.org ? blobContent(data.org.cfg) : undefined,
      };
    }
  }
  return { config, files };
}

/** Read some files of a commit (existing ones only), e.g. the base branch's versions for a pull request. */
export async function readFiles(octokit: GitHub, owner: string, repo: string, sha: string, paths: string[]): Promise<Map<string, FileContent>> {
  const files = new Map<string, FileContent>();
  for (const chunk of chunks(paths)) {
    if (chunk.length === 0) break;
    const selection = blobSelection(sha, chunk);
    const vars = { owner, repo, ...selection.vars };
    const query = `query(${declare(vars)}) { repository(owner: $owner, name: $repo) { ${selection.fields.join(' ')} } } ${BLOB_FIELDS}`;
    selection.read((await graphqlAllowingNotFound<RepoBlobs>(octokit, query, vars)).repository, files);
  }
  return files;
}

/** The paths a pull request changes (GitHub lists up to 3,000). */
export async function changedPaths(octokit: GitHub, owner: string, repo: string, pullNumber: number): Promise<string[]> {
  const files = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo, pull_number: pullNumber, per_page: 100 });
  return files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
}

/** Read one file of another repository (for `_extends`). */
export async function readFileAt(octokit: GitHub, owner: string, repo: string, expression: string): Promise<FileContent | undefined> {
  const query = `query($owner: String!, $repo: String!, $e: String!) { repository(owner: $owner, name: $repo) { f: object(expression: $e) { ...B } } } ${BLOB_FIELDS}`;
  const data = await graphqlAllowingNotFound<{ repository: { f: BlobNode | null } | null }>(octokit, query, { owner, repo, e: expression });
  return blobContent(data.repository?.f);
}

export class FetchedSnapshot implements FileSnapshot {
  constructor(
    readonly paths: readonly string[],
    private readonly files: Map<string, FileContent>,
  ) {}
  content(path: string): FileContent | undefined {
    return this.files.get(path);
  }
}
