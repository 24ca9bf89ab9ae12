/** The one masking function every finding passes through (issue: secrets in findings). */
import { defaultConfig } from '../../src/config/load.js';
import { runPolicy } from '../../src/policy/engine.js';
import { maskSecrets, urlCredentials } from '../../src/policy/mask.js';
import { MemorySnapshot } from '../../src/core/files.js';
import { offlineFacts } from '../../src/policy/types.js';

describe('maskSecrets', () => {
  it.each([
    [
      'https://deploy:Tok3n/With/Slash@gitlab.example.com/o/r.git',
      'https://***@gitlab.example.com/o/r.git',
      ['Tok3n', 'With/Slash', 'deploy'],
    ],
    ['postgres://admin:P@ssw0rd!X@db.internal:5432/x', 'postgres://***@db.internal:5432/x', ['P@ss', 'w0rd', '!X']],
    ['https://gitlab.com/o/r.git?private_token=glpat-abc123def456', 'https://gitlab.com/o/r.git?private_token=***', ['abc123']],
    ["{{ env_var('REV', 's3cr3t') }}", "{{ env_var('REV', '***') }}", ['s3cr3t']],
    [`token ghp_${'a1B2'.repeat(10)} here`, 'token [GitHub token] here', ['a1B2']],
    ['https://ghp_abcdefghijklmnopqrstuvwxyz0123456789AB@github.com/o/r', 'https://***@github.com/o/r', ['ghp_', 'abcdef']],
  ])('%s', (input, expected, leaks) => {
    const out = maskSecrets(input);
    expect(out).toBe(expected);
    for (const leak of leaks) expect(out).not.toContain(leak);
  });

  it('keeps references and URLs without credentials as they are', () => {
    for (const text of [
      "https://{{ env_var('GIT_TOKEN') }}@github.com/o/r.git",
      'git+https://github.com/o/r.git@v1.2.0#egg=r',
      'git@github.com:o/r.git',
      'https://github.com/o/r@main',
    ])
      expect(maskSecrets(text)).toBe(text);
  });

  it('escapes control and bidi characters (a file name with a right-to-left override)', () => {
    expect(maskSecrets('a\u202egnp.exe and a\u0007bell')).toBe('a\\u{202e}gnp.exe and a\\u{7}bell');
  });

  it('finds user-info holding @ and !', () => {
    expect(urlCredentials('x postgres://admin:P@ssw0rd!X@db/y').map((c) => c.userinfo)).toEqual(['admin:P@ssw0rd!X']);
  });
});

describe('every finding goes through it (dbt-packages-pinned printing git URLs)', () => {
  const packages = [
    'packages:',
    '  - git: "https://deploy:Tok3n/With/Slash@gitlab.example.com/acme/pkg.git"',
    '    revision: main',
    '  - git: "https://gitlab.example.com/acme/other.git?private_token=glpat-SECRETSECRET12"',
    '    revision: develop',
    '  - git: "https://github.com/acme/third.git"',
    "    revision: \"{{ env_var('REV', 's3cr3t-default') }}\"",
    '',
  ].join('\n');
  const result = runPolicy(
    new MemorySnapshot({ 'packages.yml': packages, 'x/a\u202eb/key.pem': '-----BEGIN RSA PRIVATE KEY-----\n' }),
    defaultConfig(),
    offlineFacts('t'),
  );

  it('no credential, query token or Jinja default in any message or fix', () => {
    const text = JSON.stringify(result.findings.map((f) => [f.message, f.fix]));
    expect(result.findings.filter((f) => f.rule === 'dbt-packages-pinned').length).toBe(3);
    for (const leak of ['Tok3n', 'With/Slash', 'SECRETSECRET', 's3cr3t']) expect(text).not.toContain(leak);
    expect(text).toContain('https://***@gitlab.example.com/acme/pkg.git');
  });

  it('file names with control characters are escaped in messages', () => {
    const f = result.findings.find((x) => x.rule === 'no-plaintext-secrets' && x.path?.endsWith('key.pem'));
    expect(f?.message).toContain('x/a\\u{202e}b/key.pem');
    expect(f?.message).not.toContain('\u202e');
  });
});
