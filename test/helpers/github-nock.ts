/**
 * Answers the requests of a policy check with nock, from an in-memory repository: the tree, the GraphQL
 * blob query, the GraphQL ref query, and check-run writes (recorded for assertions). Every request is
 * logged so tests can count them.
 */
import nock from 'nock';

export interface FakeRepo {
  owner: string;
  repo: string;
  /** Files at the head commit. */
  files: Record<string, string>;
  /** shipshape.yml at the config (base) commit, when it differs from the head's. */
  baseConfig?: string | null;
  orgConfig?: string;
  /** Tags and branches of other repositories: `owner/repo` → names. */
  remoteTags?: Record<string, string[]>;
  remoteBranches?: Record<string, string[]>;
  treeStatus?: number;
  /** Files at the base commit `baseSha` (for rules that compare with the base), and the PR's changed paths. */
  baseSha?: string;
  baseFiles?: Record<string, string>;
  changedFiles?: string[];
}

export interface Recorded {
  requests: Array<{ method: string; path: string; body?: unknown }>;
  checkRuns: Array<Record<string, any>>;
  checkRunUpdates: Array<Record<string, any>>;
}

const blob = (text: string | undefined) =>
  text === undefined ? null : { text: text.includes('\0') ? null : text, isBinary: text.includes('\0'), byteSize: Buffer.byteLength(text), isTruncated: false };

export function fakeGitHub(fake: FakeRepo, base = 'https://api.github.com'): Recorded {
  const rec: Recorded = { requests: [], checkRuns: [], checkRunUpdates: [] };
  const prefix = `/repos/${fake.owner}/${fake.repo}`;
  const scope = nock(base).persist();
  scope.get(new RegExp(`^${prefix}/git/trees/\\w+`)).query(true).reply(function (uri) {
    rec.requests.push({ method: 'GET', path: uri });
    if (fake.treeStatus) return [fake.treeStatus, { message: 'Server Error' }];
    return [200, { sha: 'tree', truncated: false, tree: Object.entries(fake.files).map(([path, text]) => ({ path, type: 'blob', size: Buffer.byteLength(text), mode: '100644', sha: 'x' })) }];
  });
  scope.post('/graphql').reply(function (uri, body: any) {
    rec.requests.push({ method: 'POST', path: uri, body });
    const vars: Record<string, string> = body.variables ?? {};
    if ('o0' in vars) return [200, { data: answerRefs(fake, vars) }];
    if ('e' in vars) return [200, { data: { repository: null } }];
    const repository: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) {
      if (!/^p\d+$/.test(k)) continue;
      const [sha, path] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
      const tree = fake.baseSha && sha === fake.baseSha ? (fake.baseFiles ?? {}) : fake.files;
      repository[`f${k.slice(1)}`] = blob(tree[path]);
    }
    if ('cfg' in vars) {
      const head = fake.files['.github/shipshape.yml'];
      repository.cfg = blob(fake.baseConfig === undefined ? head : (fake.baseConfig ?? undefined));
      repository.headCfg = blob(head);
    }
    const org = fake.orgConfig === undefined ? null : { cfg: blob(fake.orgConfig) };
    return [200, { data: { repository, org } }];
  });
  scope.get(new RegExp(`^${prefix}/pulls/\\d+/files`)).query(true).reply(function (uri) {
    rec.requests.push({ method: 'GET', path: uri });
    return [200, (fake.changedFiles ?? []).map((filename) => ({ filename, status: 'modified' }))];
  });
  scope.get(new RegExp(`^${prefix}/commits/\\w+/check-runs`)).query(true).reply(function (uri) {
    rec.requests.push({ method: 'GET', path: uri });
    const sha = uri.split('/commits/')[1]!.split('/')[0];
    const runs = rec.checkRuns.filter((r) => r.head_sha === sha && r.status === 'completed');
    return [200, { total_count: runs.length, check_runs: runs }];
  });
  scope.post(`${prefix}/check-runs`).reply(function (uri, body: any) {
    rec.requests.push({ method: 'POST', path: uri, body });
    rec.checkRuns.push(body);
    return [201, { id: rec.checkRuns.length, ...body }];
  });
  scope.patch(new RegExp(`^${prefix}/check-runs/\\d+$`)).reply(function (uri, body: any) {
    rec.requests.push({ method: 'PATCH', path: uri, body });
    rec.checkRunUpdates.push(body);
    return [200, { id: Number(uri.split('/').pop()), ...body }];
  });
  return rec;
}

function answerRefs(fake: FakeRepo, vars: Record<string, string>) {
  const data: Record<string, unknown> = {};
  for (let i = 0; `o${i}` in vars; i++) {
    const name = `${vars[`o${i}`]}/${vars[`n${i}`]}`;
    const tags = fake.remoteTags?.[name];
    const branches = fake.remoteBranches?.[name] ?? [];
    if (!tags) {
      data[`r${i}`] = null;
      continue;
    }
    const result: Record<string, unknown> = { tags: { nodes: tags.map((t) => ({ name: t })) } };
    for (let j = 0; `t${i}_${j}` in vars; j++) {
      const ref = vars[`c${i}_${j}`]!;
      result[`t${j}`] = tags.includes(ref) ? { name: ref } : null;
      result[`h${j}`] = branches.includes(ref) ? { name: ref } : null;
      result[`c${j}`] = tags.includes(ref) || branches.includes(ref) ? { oid: 'f'.repeat(40) } : null;
    }
    data[`r${i}`] = result;
  }
  return data;
}
