/**
 * The pinning rules against 90 real files with hand labels (../shared/corpus/LABELS.tsv): every label row
 * must be found, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import { FORMATS } from '../../src/policy/formats/index.js';
import type { ParsedFiles } from '../../src/policy/parsed.js';
import { ruleById } from '../../src/policy/registry.js';
import { optionsOf } from '../../src/policy/rule.js';
import { offlineFacts } from '../../src/policy/types.js';
import { describeWithShared, sharedDir } from '../helpers/shared.js';

const VERDICT_OF_CODE: Record<string, string> = {
  unpinned: 'UNPINNED',
  'warn-unpinned-false': 'WARN_UNPINNED_FALSE',
  unverifiable: 'UNVERIFIABLE',
};

/** Files in the corpus that are not valid YAML (GitHub rejects them too), with the line of the first error. */
const MALFORMED: Record<string, number[]> = {
  'actions/023__Gblack98__dbt-advanced-patterns__.github~workflows~dbt_ci.yml': [36],
};

describeWithShared('real-world corpus agrees with LABELS.tsv', () => {
  const corpus = resolve(sharedDir, 'corpus');
  const rows = readFileSync(resolve(corpus, 'LABELS.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const byFile = new Map<string, { rule: string; expected: string[] }>();
  for (const [file, rule, line, verdict] of rows) {
    const entry = byFile.get(file!) ?? { rule: rule!, expected: [] };
    if (verdict !== 'CLEAN') entry.expected.push(`${line}\t${verdict}`);
    byFile.set(file!, entry);
  }

  it('covers all 90 files', () => expect(byFile.size).toBe(90));

  it.each([...byFile.entries()])('%s', (file, { rule: ruleId, expected }) => {
    const rule = ruleById(ruleId);
    expect(rule).toBeDefined();
    const text = readFileSync(resolve(corpus, file), 'utf8');
    // Corpus names are flattened paths, so each file is parsed by the rule's own formats directly.
    const formats = FORMATS.filter((f) => (rule!.meta.formats as readonly string[]).includes(f.id));
    const parsed = new Map(formats.map((f) => [f.id, f.parse(text, file)] as const));
    const files: ParsedFiles = {
      paths: [file],
      of: (id: string) => {
        const p = parsed.get(id as never);
        return p ? [{ path: file, value: p.value, malformed: !!p.error }] : [];
      },
    };
    const findings = rule!.check({ files, options: optionsOf(rule!, defaultConfig()), facts: offlineFacts('corpus test') });
    // The labels judge pins only; a file that is not valid YAML is additionally the engine's
    // `malformed-file` (asserted below), which the labels have no verdict for.
    const actual = findings.map((f) => `${f.line}\t${VERDICT_OF_CODE[f.code] ?? f.code}`);
    expect(actual.sort()).toEqual([...expected].sort());
    const malformed = [...parsed.values()].flatMap((p) => (p.error ? [p.error.line] : []));
    expect(malformed).toEqual(MALFORMED[file] ?? []);
  });
});
