/** The `audit:` section is validated with the rest of shipshape.yml: a mistake is an error, never a default. */
import { selects } from '../../src/audit/config.js';
import { defaultConfig, parseConfigLayer } from '../../src/config/load.js';

const errors = (text: string) => {
  const parsed = parseConfigLayer({ file: '.github/shipshape.yml', text });
  return parsed.ok ? [] : parsed.errors.map((e) => `${e.line}: ${e.message}`);
};

describe('audit: configuration', () => {
  it('defaults: log, one review, every repository, each check at its default level', () => {
    expect(defaultConfig().audit).toEqual({
      action: 'log',
      reviews: 1,
      repositories: 'all',
      checks: {
        'branch-protected': 'error',
        'branch-no-force-push': 'error',
        'environments-exist': 'error',
        'production-gated': 'error',
        'production-release-tags': 'error',
        'no-outside-admin': 'error',
        'actions-sha-pinning': 'error',
        'push-protection': 'error',
      },
    });
  });

  it('accepts every documented form', () => {
    expect(
      errors('audit:\n  action: issue\n  reviews: 2\n  repositories: [store-a, store-b]\n  checks:\n    push-protection: off\n'),
    ).toEqual([]);
    expect(errors('audit:\n  repositories: { topic: dashboards }\n')).toEqual([]);
    expect(errors('audit:\n  repositories: all\n  action: fix\n')).toEqual([]);
  });

  it('an invalid section is an error with its line, not a silent fallback', () => {
    expect(errors('audit:\n  action: fixit\n')).toEqual(['2: audit.action must be one of `log`, `issue`, `fix`']);
    expect(errors('audit:\n  reviews: two\n')).toEqual(['2: audit.reviews must be a whole number']);
    expect(errors('audit:\n  checks:\n    branch-protect: off\n')).toEqual([
      '3: unknown key `branch-protect` in audit.checks; did you mean `branch-protected`?',
    ]);
    expect(errors('audit:\n  repository: all\n')).toEqual(['2: unknown key `repository` in audit; did you mean `repositories`?']);
    expect(errors('audit:\n  repositories: { topics: x }\n').length).toBeGreaterThan(0);
    expect(errors('audit:\n  repositories: some\n').length).toBeGreaterThan(0);
  });

  it('selects all, named repositories (any case), or those with a topic', () => {
    const repo = { name: 'Store-A', topics: ['dashboards'] };
    expect(selects('all', repo)).toBe(true);
    expect(selects(['store-a'], repo)).toBe(true);
    expect(selects(['store-b'], repo)).toBe(false);
    expect(selects({ topic: 'Dashboards' }, repo)).toBe(true);
    expect(selects({ topic: 'airflow' }, repo)).toBe(false);
  });
});
