import { defaultConfig, mergeLayers, parseConfigLayer, withDefaults } from '../../src/config/load.js';
import { extendsKey, extendsToFetch, parseExtends, resolveConfig, type ConfigTexts } from '../../src/config/resolve.js';
import type { FileContent } from '../../src/core/files.js';

/** What a gatherer does: fetch what `extendsToFetch` names until nothing is missing (bounded). */
async function resolveFetching(texts: ConfigTexts, load: (t: { owner: string; repo: string }) => Promise<FileContent | undefined>) {
  const extended: Record<string, FileContent | null> = {};
  for (let i = 0; i < 10; i++) {
    const missing = extendsToFetch({ ...texts, extended });
    if (!missing.length) break;
    for (const t of missing) extended[extendsKey(t)] = (await load(t)) ?? null;
  }
  return resolveConfig({ ...texts, extended });
}

const layer = (text: string) => parseConfigLayer({ file: '.github/shipshape.yml', text });
const text = (t: string) => ({ kind: 'text' as const, text: t });

describe('defaults', () => {
  it('match the contract', () => {
    const c = defaultConfig();
    expect(c.enabled).toBe(true);
    expect(c.rules).toEqual({
      'dbt-packages-pinned': 'error',
      'core-pinned': 'error',
      'dockerfile-pinned': 'error',
      'actions-pinned': 'warning',
      'python-pinned': 'warning',
      'dashboards-versioned': 'error',
      'required-files': 'error',
      'no-plaintext-secrets': 'error',
    });
    expect(c.core).toEqual({
      repository: 'Sciance-Inc/core.dashboards_store',
      image: 'ghcr.io/sciance-inc/core.dashboards_store',
      'allow-behind': 2,
    });
    expect(c.dashboards).toEqual({ reports: 'reporting/{domain}/{dashboard}/**', deployed: [], 'require-version': false });
    expect(c['required-files']).toEqual(['Dockerfile', 'README.md', '.github/workflows/*.y*ml']);
    expect(c.release).toMatchObject({
      'tag-pattern': 'semver',
      environments: ['staging', 'production'],
      deploy: { method: 'deployment' },
      doi: false,
    });
    expect(c.notify).toEqual({ slack: { 'webhook-env': 'SLACK_WEBHOOK_URL' } });
  });

  it('a partial file keeps the other defaults', () => {
    const parsed = layer('rules:\n  actions-pinned: error\ncore:\n  allow-behind: 0\n');
    expect(parsed.ok).toBe(true);
    const c = withDefaults(mergeLayers(parsed.ok ? parsed.value : {}));
    expect(c.rules['actions-pinned']).toBe('error');
    expect(c.rules['core-pinned']).toBe('error');
    expect(c.core).toMatchObject({ 'allow-behind': 0, repository: 'Sciance-Inc/core.dashboards_store' });
  });

  it('an empty file means all defaults', () => expect(layer('')).toEqual({ ok: true, value: {} }));
});

describe('errors name file, line and fix', () => {
  const errorsOf = (t: string) => {
    const r = layer(t);
    if (r.ok) throw new Error('expected errors');
    return r.errors.map((e) => `${e.line}: ${e.message}`);
  };
  it('unknown key with did-you-mean', () =>
    expect(errorsOf('rules:\n  actions-pined: error\n')).toEqual([
      '2: unknown key `actions-pined` in rules; did you mean `actions-pinned`?',
    ]));
  it('unknown top-level key far from any', () =>
    expect(errorsOf('enabled: true\nzzzzzzzz: 1\n')[0]).toMatch(/^2: unknown key `zzzzzzzz` in the top level; known keys: /));
  it('wrong level', () =>
    expect(errorsOf('rules:\n  core-pinned: fatal\n')).toEqual(['2: rules.core-pinned must be one of `error`, `warning`, `off`']));
  it('wrong types', () =>
    expect(errorsOf('enabled: "yes"\ncore:\n  allow-behind: two\nrequired-files: Dockerfile\n')).toEqual([
      '1: enabled must be true or false',
      '3: core.allow-behind must be a whole number',
      '4: required-files must be a list',
    ]));
  it('core.repository shape', () =>
    expect(errorsOf('core:\n  repository: not a repo\n')).toEqual(['2: core.repository must look like `owner/repository`']));
  it('release.tag-pattern is `semver` or a tag with one {version}: `v*` would fail every tag push later', () => {
    expect(errorsOf('release:\n  tag-pattern: "v*"\n')).toEqual([
      '2: release.tag-pattern must be `semver` or a tag with one `{version}` in it, such as `release-{version}`',
    ]);
    expect(errorsOf('release:\n  tag-pattern: "{version}-{version}"\n')).toHaveLength(1);
    expect(layer('release:\n  tag-pattern: "release-{version}"\n').ok).toBe(true);
    expect(layer('release:\n  tag-pattern: semver\n').ok).toBe(true);
  });
  it('workflow_dispatch needs a workflow', () =>
    expect(errorsOf('release:\n  deploy:\n    method: workflow_dispatch\n')).toEqual(['2: release.deploy needs `workflow`']));
  it('malformed YAML', () => expect(errorsOf('rules: [oops\n')[0]).toMatch(/invalid YAML/));
  it('a list instead of a mapping', () =>
    expect(errorsOf('- a\n- b\n')).toEqual([
      '1: the configuration must be a mapping of keys (e.g. `rules:`), not a list or a single value',
    ]));
  it('a key written twice is an error naming both lines (YAML keys are unique; the second would silently win)', () => {
    expect(errorsOf('rules:\n  core-pinned: error\nenabled: true\nrules:\n  core-pinned: off\n')).toEqual([
      '4: `rules` is written twice, at .github/shipshape.yml:1 and .github/shipshape.yml:4; keep one (YAML keys must be unique)',
    ]);
  });
  it('a rule listed twice, even with the same level, is an error naming both lines', () =>
    expect(errorsOf('rules:\n  core-pinned: off\n  python-pinned: error\n  core-pinned: off\n')).toEqual([
      '4: `rules.core-pinned` is written twice, at .github/shipshape.yml:2 and .github/shipshape.yml:4; keep one (YAML keys must be unique)',
    ]));
  it('a third copy is named against the first; an org layer names its own file', () => {
    const r = parseConfigLayer({ file: 'acme/.github:.github/shipshape.yml', text: 'enabled: true\nenabled: true\nenabled: false\n' });
    expect(r.ok ? [] : r.errors).toEqual([
      {
        file: 'acme/.github:.github/shipshape.yml',
        line: 2,
        message: expect.stringContaining('at acme/.github:.github/shipshape.yml:1 and acme/.github:.github/shipshape.yml:2;'),
      },
      {
        file: 'acme/.github:.github/shipshape.yml',
        line: 3,
        message: expect.stringContaining('at acme/.github:.github/shipshape.yml:1 and acme/.github:.github/shipshape.yml:3;'),
      },
    ]);
  });
  it('a YAML alias bomb is refused, not expanded', () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(errorsOf(bomb)[0]).toMatch(/cannot read YAML/);
  });
});

describe('resolution: org defaults, _extends, enabled', () => {
  it('no file anywhere: absent (the app posts nothing)', () => expect(resolveConfig({ owner: 'o' })).toEqual({ kind: 'absent' }));
  it('org defaults under the repository file, key by key', () => {
    const r = resolveConfig({
      owner: 'o',
      orgFile: { file: 'o/.github:.github/shipshape.yml', content: text('rules:\n  python-pinned: error\n  actions-pinned: off\n') },
      repoFile: { file: '.github/shipshape.yml', content: text('rules:\n  actions-pinned: error\n') },
    });
    expect(r.kind === 'ok' && r.config.rules).toMatchObject({ 'python-pinned': 'error', 'actions-pinned': 'error' });
  });
  it('_extends chain, nearest wins', async () => {
    const files: Record<string, string> = {
      'o/base': '_extends: other/root:policy/shipshape.yml\nrules:\n  python-pinned: error\n',
      'other/root': 'rules:\n  python-pinned: off\n  actions-pinned: off\n',
    };
    const r = await resolveFetching({ owner: 'o', repoFile: { file: '.github/shipshape.yml', content: text('_extends: base\n') } }, (t) =>
      Promise.resolve(files[`${t.owner}/${t.repo}`] ? text(files[`${t.owner}/${t.repo}`]!) : undefined),
    );
    expect(r.kind === 'ok' && r.config.rules).toMatchObject({ 'python-pinned': 'error', 'actions-pinned': 'off' });
  });
  it('_extends to nowhere is an error, not silently ignored', async () => {
    const r = await resolveFetching({ owner: 'o', repoFile: { file: '.github/shipshape.yml', content: text('_extends: missing\n') } }, () =>
      Promise.resolve(undefined),
    );
    expect(r).toMatchObject({ kind: 'invalid', errors: [{ message: expect.stringMatching(/o\/missing.*does not exist/) }] });
  });
  it('an _extends cycle stops', async () => {
    const r = await resolveFetching({ owner: 'o', repoFile: { file: '.github/shipshape.yml', content: text('_extends: a\n') } }, () =>
      Promise.resolve(text('_extends: a\n')),
    );
    expect(r).toMatchObject({ kind: 'invalid', errors: [{ message: expect.stringMatching(/levels deep/) }] });
  });
  it('enabled: false', () =>
    expect(resolveConfig({ owner: 'o', repoFile: { file: 'f', content: text('enabled: false\n') } }).kind).toBe('disabled'));
  it('a binary config file is invalid', () =>
    expect(resolveConfig({ owner: 'o', repoFile: { file: 'f', content: { kind: 'binary' } } })).toMatchObject({ kind: 'invalid' }));
  it('an _extends file the caller did not read is an error, never a silently missing layer', () => {
    expect(resolveConfig({ owner: 'o', repoFile: { file: 'f', content: text('_extends: base\n') } })).toMatchObject({
      kind: 'invalid',
      errors: [{ message: expect.stringMatching(/o\/base.*was not read/) }],
    });
  });
  it('parses _extends forms', () => {
    expect(parseExtends('base', 'o')).toEqual({ owner: 'o', repo: 'base', path: '.github/shipshape.yml' });
    expect(parseExtends('acme/.github:policies/dbt.yml', 'o')).toEqual({ owner: 'acme', repo: '.github', path: 'policies/dbt.yml' });
    expect(parseExtends('not valid!', 'o')).toBeUndefined();
  });
});
