import { pythonPinned } from '../../../src/policy/rules/python-pinned.js';
import { runRule, testRule } from '../../helpers/rule-tester.js';

testRule(pythonPinned, {
  valid: [
    {
      name: 'exact pins, extras, === and hashes',
      files: { 'requirements.txt': 'dbt-core==1.7.4\nrequests[socks] == 2.31.0\ntorch===1.7.1+cpu\nidna==3.6 \\\n    --hash=sha256:abc\n' },
    },
    {
      name: 'options, includes and local installs',
      files: {
        'requirements-dev.txt':
          '-r requirements.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n-e .\n-e .[dev]\n# comment\n\n',
      },
    },
    {
      name: 'VCS pinned to tag and SHA',
      files: { 'requirements.txt': `git+https://github.com/a/b.git@v1.2.0#egg=b\nc @ git+https://github.com/a/c.git@${'d'.repeat(40)}\n` },
    },
  ],
  invalid: [
    {
      name: 'bare, >=, ~= and compound',
      files: { 'requirements.txt': 'pandas\nnumpy>=1.24\nblack~=23.9\npytest>=7.4,<8.0\n' },
      errors: [1, 2, 3, 4].map((line) => ({ line, code: 'unpinned' })),
    },
    { name: 'malformed >== operator', files: { 'requirements.txt': 'diffusers>==0.5.0\n' }, errors: [{ line: 1, code: 'unpinned' }] },
    {
      name: '== inside a marker does not pin',
      files: { 'requirements.txt': 'triton>=2.0.0;platform_machine=="x86_64"\n' },
      errors: [{ line: 1, code: 'unpinned' }],
    },
    {
      name: 'VCS without ref, with a URL-encoded branch',
      files: { 'requirements/base.txt': 'git+https://github.com/a/b.git#egg=b\ngit+https://github.com/a/b.git@paw%2Ffeature#egg=b\n' },
      errors: [
        { line: 1, code: 'unpinned', message: /no `@ref`/ },
        { line: 2, code: 'unpinned', message: /paw\/feature/ },
      ],
    },
    {
      name: 'wildcard == is a range',
      files: { 'requirements.txt': 'django==4.*\n' },
      errors: [{ line: 1, code: 'unpinned', severity: 'warning' }],
    },
  ],
});

describe('which files are requirements files (SPEC §3)', () => {
  it.each([
    ['requirements.txt', true],
    ['dev-requirements.txt', true],
    ['base_requirements_v2.txt', true],
    ['Requirements-Dev.TXT', true],
    ['requirements/prod.txt', true],
    ['requirements.in', false],
    ['notes.txt', false],
  ])('%s', (path, checked) => {
    expect(runRule(pythonPinned, { name: path, files: { [path]: 'requests\n' } }).length).toBe(checked ? 1 : 0);
  });
});
