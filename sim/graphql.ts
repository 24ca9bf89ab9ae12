/**
 * GraphQL of the simulated GitHub: queries are validated against GitHub's published schema
 * (@octokit/graphql-schema) and executed by graphql-js over the model, so a field or argument GitHub does
 * not have fails the test that used it.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import picomatch from 'picomatch';
import type { Commit, GitHubModel, Issue, Repo } from './model.js';
import { refSettingsFields, repositorySettingsFields } from './settings-graphql.js';

let schema: GraphQLSchema | undefined;
const githubSchema = () =>
  (schema ??= buildSchema(readFileSync(new URL('../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url), 'utf8'), {
    assumeValidSDL: true,
  }));

const blob = (text: string) => {
  const binary = text.includes('\0');
  return {
    __typename: 'Blob',
    text: binary ? null : text,
    isBinary: binary,
    byteSize: Buffer.byteLength(text, 'latin1'),
    isTruncated: false,
  };
};
const commitNode = (c: Commit) => ({ __typename: 'Commit', oid: c.sha, committedDate: c.date, message: c.message });
/** A page of `first` nodes after the opaque cursor `after` (an offset, as far as the app can tell: opaque). */
const connection = <T>(nodes: T[], first: number, after?: string | null) => {
  const start = after ? Number(Buffer.from(after, 'base64').toString().replace('cursor:', '')) : 0;
  const page = nodes.slice(start, start + first);
  const end = start + page.length;
  return {
    nodes: page,
    totalCount: nodes.length,
    pageInfo: { hasNextPage: end < nodes.length, endCursor: page.length ? Buffer.from(`cursor:${end}`).toString('base64') : null },
  };
};
const updatedAt = (i: Issue) => i.updated_at ?? i.pull_request?.merged_at ?? i.closed_at ?? i.created_at;

/** A directory of a commit as a GraphQL Tree: its entries, each resolving to a Blob or a nested Tree. */
function treeNode(commit: Commit, dir: string): unknown {
  const prefix = dir ? `${dir}/` : '';
  const children = new Map<string, 'blob' | 'tree'>();
  for (const path of commit.files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split('/');
    children.set(name!, rest.length ? 'tree' : 'blob');
  }
  if (dir && children.size === 0) return null;
  const entries = [...children].sort().map(([name, type]) => {
    const path = `${prefix}${name}`;
    const text = commit.files.get(path);
    return {
      name,
      path,
      type,
      mode: type === 'tree' ? 16384 : 33188,
      size: text === undefined ? 0 : Buffer.byteLength(text, 'latin1'),
      object: () => (type === 'tree' ? treeNode(commit, path) : blob(text!)),
    };
  });
  return { __typename: 'Tree', oid: `tree-${commit.sha}-${dir}`, entries };
}

/** The check runs of a commit, as one check suite (the app's own; other apps' suites do not matter here). */
function checkSuitesOf(repo: Repo, sha: string) {
  const runs = repo.checkRuns.filter((r) => r.head_sha === sha);
  if (!runs.length) return [];
  const checkRuns = ({ first, filterBy }: { first: number; filterBy?: { checkName?: string; status?: string } }) =>
    connection(
      runs
        .filter(
          (r) =>
            (!filterBy?.checkName || r.name === filterBy.checkName) && (!filterBy?.status || r.status.toUpperCase() === filterBy.status),
        )
        .map((r) => ({ name: r.name, status: r.status.toUpperCase(), externalId: r.external_id ?? null })),
      first,
    );
  return [{ checkRuns }];
}

function repositoryNode(model: GitHubModel, repo: Repo) {
  const tagNode = (name: string) => {
    const t = repo.tags.get(name)!;
    const commit = repo.commits.get(t.sha)!;
    return {
      name,
      target:
        t.message === undefined
          ? commitNode(commit)
          : { __typename: 'Tag', oid: `tag-${t.sha}`, message: t.message, target: commitNode(commit) },
    };
  };
  return {
    name: repo.name,
    isArchived: repo.archived,
    ...repositorySettingsFields(repo),
    defaultBranchRef: () => ({
      name: repo.defaultBranch,
      prefix: 'refs/heads/',
      ...refSettingsFields(repo, repo.defaultBranch, (ref, p) => picomatch.isMatch(ref, p)),
    }),
    object: ({ expression }: { expression: string }) => {
      const colon = expression.indexOf(':');
      const commit = model.resolve(repo, colon >= 0 ? expression.slice(0, colon) : expression);
      if (!commit) return null;
      if (colon < 0)
        return { ...commitNode(commit), checkSuites: ({ first }: { first: number }) => connection(checkSuitesOf(repo, commit.sha), first) };
      const path = expression.slice(colon + 1).replace(/\/+$/, '');
      const text = commit.files.get(path);
      return text === undefined ? treeNode(commit, path) : blob(text);
    },
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      const name = qualifiedName.replace(/^refs\/(tags|heads)\//, '');
      const exists = qualifiedName.startsWith('refs/tags/') ? repo.tags.has(name) : repo.branches.has(name);
      return exists ? { name, prefix: qualifiedName.slice(0, qualifiedName.length - name.length) } : null;
    },
    refs: ({ refPrefix, first }: { refPrefix: string; first: number }) => {
      if (refPrefix !== 'refs/tags/')
        return connection(
          [...repo.branches.keys()].map((name) => ({ name })),
          first,
        );
      const names = [...repo.tags.keys()].sort((a, b) =>
        repo.commits.get(repo.tags.get(b)!.sha)!.date.localeCompare(repo.commits.get(repo.tags.get(a)!.sha)!.date),
      );
      return connection(names.map(tagNode), first);
    },
    pullRequest: ({ number }: { number: number }) => {
      const pr = repo.issues.find((i) => i.number === number && i.pull_request);
      if (!pr)
        throw Object.assign(new Error(`Could not resolve to a PullRequest with the number of ${number}.`), {
          extensions: { type: 'NOT_FOUND' },
        });
      return {
        number,
        files: ({ first, after }: { first: number; after?: string }) =>
          connection(
            pr.pull_request!.files.map((path) => ({ path, changeType: 'MODIFIED', additions: 1, deletions: 0 })),
            first,
            after,
          ),
      };
    },
    // Both ordered as the app asks (UPDATED_AT, DESC); `filterBy.since` is on the update time, as on GitHub.
    pullRequests: ({ first, after }: { first: number; after?: string | null }) =>
      connection(
        repo.issues
          .filter((i) => i.pull_request?.merged_at)
          .sort((a, b) => updatedAt(b).localeCompare(updatedAt(a)))
          .map((i) => ({
            number: i.number,
            title: i.title,
            mergedAt: i.pull_request!.merged_at,
            updatedAt: updatedAt(i),
            author: { __typename: 'User', login: i.user },
            labels: connection(
              i.labels.map((name) => ({ name })),
              10,
            ),
          })),
        first,
        after,
      ),
    issues: ({ first, after, filterBy }: { first: number; after?: string | null; filterBy?: { since?: string } }) =>
      connection(
        repo.issues
          .filter((i) => !i.pull_request && i.state === 'closed' && (!filterBy?.since || updatedAt(i) >= filterBy.since))
          .sort((a, b) => updatedAt(b).localeCompare(updatedAt(a)))
          .map((i) => ({
            number: i.number,
            title: i.title,
            closedAt: i.closed_at,
            stateReason: i.state_reason === 'not_planned' ? 'NOT_PLANNED' : 'COMPLETED',
            author: { __typename: 'User', login: i.user },
            labels: connection(
              i.labels.map((name) => ({ name })),
              10,
            ),
          })),
        first,
        after,
      ),
  };
}

const checkedQueries = new Map<string, { document: DocumentNode; problems: readonly GraphQLError[] }>();

export async function handleGraphql(
  model: GitHubModel,
  request: { query: string; variables?: Record<string, unknown> },
): Promise<[number, unknown]> {
  model.requests.push({ method: 'POST', path: '/graphql', body: request, graphql: true });
  const s = githubSchema();
  let checked = checkedQueries.get(request.query);
  if (!checked) {
    try {
      const document = parse(request.query);
      checked = { document, problems: validate(s, document) };
    } catch (err) {
      model.violations.push(`GraphQL syntax: ${(err as Error).message}`);
      return [200, { errors: [{ message: (err as Error).message }] }];
    }
    // The app sends the same query shapes again and again: validating each text once keeps the simulator's CPU for answering.
    if (checkedQueries.size > 500) checkedQueries.clear();
    checkedQueries.set(request.query, checked);
  }
  const { document, problems } = checked;
  if (problems.length) {
    model.violations.push(...problems.map((p) => `GraphQL: ${p.message}`));
    return [200, { errors: problems.map((p) => ({ message: p.message })) }];
  }
  const rootValue = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = model.visible(owner, name);
      if (!repo)
        throw Object.assign(new Error(`Could not resolve to a Repository with the name '${owner}/${name}'.`), {
          extensions: { type: 'NOT_FOUND' },
        });
      return repositoryNode(model, repo);
    },
  };
  const result = await execute({ schema: s, document, rootValue, variableValues: request.variables });
  // GitHub puts the error type at the top level of each error.
  const errors = result.errors?.map((e) => ({
    message: e.message,
    path: e.path,
    type: (e.originalError as { extensions?: { type?: string } } | undefined)?.extensions?.type ?? 'INTERNAL',
  }));
  return [200, errors ? { data: result.data, errors } : { data: result.data }];
}
