/** Answering the rules' online questions (is this ref a tag or a branch? which tags exist?) in one GraphQL query. */
import type { Lookups } from '../policy/lookups.js';
import type { RefFacts, RefKind } from '../policy/types.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';

/** Newest tags listed per repository: enough to count how far a pin lags. */
const TAGS_LISTED = 100;

const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

export async function fetchRefFacts(octokit: GitHub, lookups: Lookups): Promise<RefFacts> {
  if (lookups.refs.length === 0 && lookups.tagLists.length === 0) return emptyFacts();
  const repos = new Map<string, { owner: string; repo: string; refs: string[]; tags: boolean }>();
  const repoOf = (owner: string, repo: string) => {
    const k = key(owner, repo);
    if (!repos.has(k)) repos.set(k, { owner, repo, refs: [], tags: false });
    return repos.get(k)!;
  };
  for (const r of lookups.refs) repoOf(r.owner, r.repo).refs.push(r.ref);
  for (const t of lookups.tagLists) repoOf(t.owner, t.repo).tags = true;

  const vars: Record<string, string> = {};
  const blocks = [...repos.values()].map((r, i) => {
    vars[`o${i}`] = r.owner;
    vars[`n${i}`] = r.repo;
    const fields = r.refs.map((ref, j) => {
      vars[`t${i}_${j}`] = `refs/tags/${ref}`;
      vars[`h${i}_${j}`] = `refs/heads/${ref}`;
      vars[`c${i}_${j}`] = ref;
      return `t${j}: ref(qualifiedName: $t${i}_${j}) { name } h${j}: ref(qualifiedName: $h${i}_${j}) { name } c${j}: object(expression: $c${i}_${j}) { oid }`;
    });
    if (r.tags) fields.push(`tags: refs(refPrefix: "refs/tags/", first: ${TAGS_LISTED}, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) { nodes { name } }`);
    return `r${i}: repository(owner: $o${i}, name: $n${i}) { ${fields.join(' ')} }`;
  });
  const query = `query(${Object.keys(vars).map((k) => `$${k}: String!`).join(', ')}) { ${blocks.join(' ')} }`;
  type RepoResult = Record<string, { name?: string; oid?: string } | null> & { tags?: { nodes: Array<{ name: string }> } };
  const data = await graphqlAllowingNotFound<Record<string, RepoResult | null>>(octokit, query, vars);

  const kinds = new Map<string, RefKind>();
  const tags = new Map<string, string[]>();
  const unreadable: string[] = [];
  [...repos.values()].forEach((r, i) => {
    const result = data[`r${i}`];
    if (!result) {
      unreadable.push(`${r.owner}/${r.repo}`);
      return;
    }
    r.refs.forEach((ref, j) => {
      const kind: RefKind = result[`t${j}`] ? 'tag' : result[`h${j}`] ? 'branch' : result[`c${j}`] ? 'commit' : 'missing';
      kinds.set(`${key(r.owner, r.repo)}@${ref}`, kind);
    });
    if (result.tags) tags.set(key(r.owner, r.repo), result.tags.nodes.map((n) => n.name));
  });
  return {
    refKind: (owner, repo, ref) => kinds.get(`${key(owner, repo)}@${ref}`) ?? 'unknown',
    tags: (owner, repo) => tags.get(key(owner, repo)),
    offlineReason: unreadable.length ? `the app cannot read ${unreadable.join(', ')}, so tag existence and lag there were not checked` : undefined,
  };
}

const emptyFacts = (): RefFacts => ({ refKind: () => 'unknown', tags: () => undefined });
