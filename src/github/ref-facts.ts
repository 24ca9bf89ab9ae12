/**
 * Answering the rules' online questions (is this ref a tag or a branch? which tags exist?) with GraphQL
 * fields that ride along in another query (the contents read) or make one of their own.
 */
import type { Lookups } from '../policy/types.js';
import { refKey, type RefFactsData, type RefKind } from '../policy/types.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';
import { declare } from './repo-files.js';

/** Newest tags listed per repository: enough to count how far a pin lags. */
const TAGS_LISTED = 100;

const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

type RepoResult = Record<string, { name?: string; oid?: string } | null> & { tags?: { nodes: Array<{ name: string }> } };

/** Top-level `r<i>: repository(…) { … }` fields for the lookups, their variables, and how to read the answer. */
export function refFactsSelection(lookups: Lookups) {
  const repos = new Map<string, { owner: string; repo: string; refs: string[]; tags: boolean }>();
  const repoOf = (owner: string, repo: string) => {
    const k = key(owner, repo);
    if (!repos.has(k)) repos.set(k, { owner, repo, refs: [], tags: false });
    return repos.get(k)!;
  };
  for (const r of lookups.refs) repoOf(r.owner, r.repo).refs.push(r.ref);
  for (const t of lookups.tagLists) repoOf(t.owner, t.repo).tags = true;

  const vars: Record<string, string> = {};
  const fields = [...repos.values()].map((r, i) => {
    vars[`o${i}`] = r.owner;
    vars[`n${i}`] = r.repo;
    const inner = r.refs.map((ref, j) => {
      vars[`t${i}_${j}`] = `refs/tags/${ref}`;
      vars[`h${i}_${j}`] = `refs/heads/${ref}`;
      vars[`c${i}_${j}`] = ref;
      return `t${j}: ref(qualifiedName: $t${i}_${j}) { name } h${j}: ref(qualifiedName: $h${i}_${j}) { name } c${j}: object(expression: $c${i}_${j}) { oid }`;
    });
    if (r.tags)
      inner.push(
        `tags: refs(refPrefix: "refs/tags/", first: ${TAGS_LISTED}, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) { nodes { name } }`,
      );
    return `r${i}: repository(owner: $o${i}, name: $n${i}) { ${inner.join(' ')} }`;
  });

  const read = (data: Record<string, unknown>, into: RefFactsData) => {
    const unreadable: string[] = [];
    [...repos.values()].forEach((r, i) => {
      const result = data[`r${i}`] as RepoResult | null | undefined;
      if (!result) {
        unreadable.push(`${r.owner}/${r.repo}`);
        return;
      }
      r.refs.forEach((ref, j) => {
        const kind: RefKind = result[`t${j}`] ? 'tag' : result[`h${j}`] ? 'branch' : result[`c${j}`] ? 'commit' : 'missing';
        into.kinds[refKey(r.owner, r.repo, ref)] = kind;
      });
      if (result.tags) into.tags[key(r.owner, r.repo)] = result.tags.nodes.map((n) => n.name);
    });
    if (unreadable.length) {
      const reason = `the app cannot read ${unreadable.join(', ')}, so tag existence and lag there were not checked`;
      into.offlineReason = into.offlineReason ? `${into.offlineReason}; ${reason}` : reason;
    }
  };
  return { vars, fields, read, empty: repos.size === 0 };
}

/** The lookups in a query of their own. */
export async function fetchRefFacts(
  octokit: GitHub,
  lookups: Lookups,
  into: RefFactsData = { kinds: {}, tags: {} },
): Promise<RefFactsData> {
  const selection = refFactsSelection(lookups);
  if (selection.empty) return into;
  const query = `query(${declare(selection.vars)}) { ${selection.fields.join(' ')} }`;
  selection.read(await graphqlAllowingNotFound<Record<string, unknown>>(octokit, query, selection.vars), into);
  return into;
}

/** The lookups of `wanted` that `asked` did not already cover. */
export function notAsked(wanted: Lookups, asked: Lookups): Lookups {
  const refs = new Set(asked.refs.map((r) => refKey(r.owner, r.repo, r.ref)));
  const tagLists = new Set(asked.tagLists.map((t) => key(t.owner, t.repo)));
  return {
    refs: wanted.refs.filter((r) => !refs.has(refKey(r.owner, r.repo, r.ref))),
    tagLists: wanted.tagLists.filter((t) => !tagLists.has(key(t.owner, t.repo))),
  };
}
