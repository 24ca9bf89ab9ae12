import { defaultConfig, mergeLayers, withDefaults } from '../../src/config/load.js';
import { conclusionOf, pathsToRead, runPolicy } from '../../src/policy/engine.js';
import { renderPolicyResult } from '../../src/policy/report.js';
import { contentFromBytes, MemorySnapshot } from '../../src/core/files.js';
import type { Rule } from '../../src/policy/rule.js';
import { offlineFacts } from '../../src/policy/types.js';
import { readFixture } from '../helpers/fixtures.js';

const facts = offlineFacts('test');

it('the example store fixture meets the pinning policy offline', () => {
  const result = runPolicy(new MemorySnapshot(readFixture('css01.dashboards_store')), defaultConfig(), facts);
  expect(result.findings).toEqual([]);
  expect(conclusionOf(result.findings)).toBe('success');
});

it('reads the files some format covers, whatever rules are on (a malformed file is reported regardless)', () => {
  const paths = [
    'packages.yml',
    'Dockerfile',
    'README.md',
    'models/a.sql',
    '.github/workflows/ci.yml',
    'requirements.txt',
    'node_modules/x/Dockerfile',
    'reporting/emp/a/a.pbit',
  ];
  expect(pathsToRead(paths)).toEqual(['packages.yml', 'Dockerfile', '.github/workflows/ci.yml', 'requirements.txt']);
});

it('a configured warning level caps severities; off removes the rule', () => {
  const files = { 'packages.yml': 'packages:\n  - git: https://github.com/a/b.git\n    revision: main\n' };
  const only = (level: string) => withDefaults(mergeLayers({ rules: { 'dbt-packages-pinned': level, 'required-files': 'off' } }));
  const asWarning = runPolicy(new MemorySnapshot(files), only('warning'), facts);
  expect(asWarning.findings.map((f) => [f.rule, f.severity])).toEqual([['dbt-packages-pinned', 'warning']]);
  expect(conclusionOf(asWarning.findings)).toBe('neutral');
  const off = runPolicy(new MemorySnapshot(files), only('off'), facts);
  expect(off.findings).toEqual([]);
});

it('a rule that throws becomes an error finding, never a silent pass', () => {
  const broken: Rule = {
    meta: {
      id: 'dbt-packages-pinned',
      description: 'x',
      defaultLevel: 'error',
      formats: ['dbt-packages'],
      messages: {},
      docs: { details: '', failing: '', fixed: '' },
    },
    check: () => {
      throw new Error('boom');
    },
  };
  const result = runPolicy(new MemorySnapshot({ 'packages.yml': 'packages: []\n' }), defaultConfig(), facts, [broken]);
  expect(result.findings).toMatchObject([{ severity: 'error', code: 'internal-error', message: expect.stringContaining('boom') }]);
});

it('classifies bytes as text, binary or too large', () => {
  expect(contentFromBytes(Buffer.from('hello'))).toEqual({ kind: 'text', text: 'hello' });
  expect(contentFromBytes(Buffer.from([0x50, 0x4b, 0x00, 0x01]))).toEqual({ kind: 'binary' });
  expect(contentFromBytes(Buffer.from([0xff, 0xfe, 0xfd]))).toEqual({ kind: 'binary' });
  expect(contentFromBytes(Buffer.alloc(2 * 1024 * 1024, 0x61))).toEqual({ kind: 'too-large', size: 2 * 1024 * 1024 });
});

it('renders a summary table with every rule and annotations with the fix', () => {
  const files = { Dockerfile: 'FROM python\n' };
  const config = withDefaults(mergeLayers({ rules: { 'required-files': 'off' } }));
  const out = renderPolicyResult(runPolicy(new MemorySnapshot(files), config, facts), config, ['a note']);
  expect(out.conclusion).toBe('failure');
  expect(out.title).toBe('1 error, 0 warnings');
  expect(out.summary).toContain('| ❌ | `dockerfile-pinned` | error | 1 |');
  expect(out.summary).toContain('- a note');
  expect(out.annotations).toEqual([
    {
      path: 'Dockerfile',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: 'dockerfile-pinned',
      message: expect.stringMatching(/no tag[\s\S]*\nFix: /),
    },
  ]);
});
