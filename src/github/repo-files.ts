/** Reading a commit's files with GraphQL: many blobs (and the configuration files) per query. */
import { CONFIG_PATH } from '../config/load.js';
import { MAX_FILE_BYTES, type FileContent } from '../core/files.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';
import { repositoriesQuery } from './graphql-batch.js';

/** Blobs per GraphQL query: keeps each response well under GitHub's limits. */
export const BLOBS_PER_QUERY = 100;
export const BLOB_FIELDS = 'fragment B on Blob { text isBinary byteSize isTruncated }';

export interface BlobNode {
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

/** Aliased `<alias>0: object(expression: $<alias>0) { ...B }` fields for paths at a commit, and how to read the answer. */
export function blobSelection(sha: string, paths: readonly string[], alias = 'f') {
  const vars: Record<string, string> = {};
  const fields = paths.map((p, i) => {
    vars[`${alias}${i}`] = `${sha}:${p}`;
    return `${alias}${i}: object(expression: $${alias}${i}) { ...B }`;
  });
  const read = (node: Record<string, unknown> | null | undefined, into: Map<string, FileContent>) =>
    paths.forEach((p, i) => {
      const content = blobContent(node?.[`${alias}${i}`] as BlobNode | null | undefined);
      if (content) into.set(p, content);
    });
  return { vars, fields, read };
}

export function chunks<T>(items: readonly T[], size = BLOBS_PER_QUERY): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const declare = (vars: Record<string, unknown>) =>
  Object.keys(vars)
    .map((k) => `$${k}: ${typeof vars[k] === 'number' ? 'Int' : 'String'}!`)
    .join(', ');

/** The configuration files that apply at `ref`: the repository's own and the organization's defaults, in one query. */
export async function readConfigTexts(
  octokit: GitHub,
  owner: string,
  repo: string,
  ref: string,
): Promise<{ repo?: FileContent; org?: FileContent }> {
  const query = `query($owner: String!, $repo: String!, $cfg: String!) { repository(owner: $owner, name: $repo) { cfg: object(expression: $cfg) { ...B } } org: repository(owner: $owner, name: ".github") { cfg: object(expression: "HEAD:${CONFIG_PATH}") { ...B } } } ${BLOB_FIELDS}`;
  const data = await graphqlAllowingNotFound<{ repository: { cfg: BlobNode | null } | null; org: { cfg: BlobNode | null } | null }>(
    octokit,
    query,
    { owner, repo, cfg: `${ref}:${CONFIG_PATH}` },
  );
  if (!data.repository) throw new Error(`repository ${owner}/${repo} is not readable by the app`);
  return { repo: blobContent(data.repository.cfg), org: data.org ? blobContent(data.org.cfg) : undefined };
}

export type ConfigTextsOf = { repo?: FileContent; org?: FileContent };

/**
 * The configuration files at HEAD of several repositories of one owner in one query (the daily audit's
 * batch): each one's own file and the owner's defaults, read once. A repository GitHub does not show
 * comes back as an Error.
 */
export async function readConfigTextsOfMany(
  octokit: GitHub,
  owner: string,
  repos: readonly string[],
): Promise<Array<ConfigTextsOf | Error>> {
  // The owner's `.github` last: the defaults every one of them reads.
  const targets = [...repos, '.github'].map((repo) => ({ owner, repo }));
  const batch = repositoriesQuery(targets, () => `cfg: object(expression: "HEAD:${CONFIG_PATH}") { ...B }`);
  const data = await graphqlAllowingNotFound<Record<string, { cfg: BlobNode | null } | null>>(
    octokit,
    `${batch.query} ${BLOB_FIELDS}`,
    batch.variables,
  );
  const orgNode = data[`r${repos.length}`];
  const org = orgNode ? blobContent(orgNode.cfg) : undefined;
  return repos.map((name, i) => {
    const node = data[`r${i}`];
    return node ? { repo: blobContent(node.cfg), org } : new Error(`repository ${owner}/${name} is not readable by the app`);
  });
}

/** Read one file of another repository (for `_extends`). */
export async function readFileAt(octokit: GitHub, owner: string, repo: string, expression: string): Promise<FileContent | undefined> {
  const query = `query($owner: String!, $repo: String!, $e: String!) { repository(owner: $owner, name: $repo) { f: object(expression: $e) { ...B } } } ${BLOB_FIELDS}`;
  const data = await graphqlAllowingNotFound<{ repository: { f: BlobNode | null } | null }>(octokit, query, { owner, repo, e: expression });
  return blobContent(data.repository?.f);
}
