/**
 * ESLint-style table tester: each rule is tested with `valid` snapshots (no finding) and `invalid`
 * snapshots with the exact findings expected. Runs through the engine, so formats, globs and severities
 * count; an expected finding of another id (the engine's `malformed-file`) names its `rule`.
 */
import { defaultConfig, mergeLayers, withDefaults } from '../../src/config/load.js';
import { runPolicy } from '../../src/policy/engine.js';
import { MemorySnapshot } from '../../src/core/files.js';
import type { Rule } from '../../src/policy/rule.js';
import type { FileContent } from '../../src/core/files.js';
import { offlineFacts, type RefFacts } from '../../src/policy/types.js';
import { testTable } from './table-tester.js';

export interface Case {
  name: string;
  files: Record<string, string | FileContent>;
  config?: Record<string, unknown>;
  facts?: RefFacts;
}
export interface InvalidCase extends Case {
  errors: Array<{
    rule?: string;
    path?: string | null;
    line: number;
    code: string;
    severity?: 'error' | 'warning';
    message?: RegExp | string;
  }>;
}

export function runRule(rule: Rule, c: Case) {
  const config = c.config ? withDefaults(mergeLayers(c.config)) : defaultConfig();
  const id = rule.meta.id as keyof typeof config.rules;
  config.rules = { ...config.rules, [id]: config.rules[id] === 'off' ? 'error' : config.rules[id] };
  return runPolicy(new MemorySnapshot(c.files), config, c.facts ?? offlineFacts('test'), [rule]).findings;
}

export function testRule(rule: Rule, cases: { valid: Case[]; invalid: InvalidCase[] }) {
  testTable(rule.meta.id, cases, { valid: (c) => runRule(rule, c), invalid: (c) => runRule(rule, c) }, (findings, c) => {
    expect(findings.map((f) => ({ rule: f.rule, line: f.line, code: f.code }))).toEqual(
      c.errors.map((e) => ({ rule: e.rule ?? rule.meta.id, line: e.line, code: e.code })),
    );
    c.errors.forEach((e, i) => {
      const f = findings[i]!;
      if (e.path !== undefined) expect(f.path).toBe(e.path);
      if (e.severity) expect(f.severity).toBe(e.severity);
      if (e.message) expect(f.message).toMatch(e.message);
      // Every code a rule reports is documented in its meta (explain and the README list them).
      if (f.rule === rule.meta.id) expect(Object.keys(rule.meta.messages)).toContain(f.code);
    });
  });
}

/** Online facts for tests: `refs` maps `owner/repo@ref` to its kind; `tags` lists a repository's tags. */
export function fakeFacts(refs: Record<string, 'tag' | 'branch' | 'commit' | 'missing'>, tags: Record<string, string[]> = {}): RefFacts {
  return {
    refKind: (o, r, ref) => refs[`${o}/${r}@${ref}`.toLowerCase()] ?? refs[`${o}/${r}@${ref}`] ?? 'unknown',
    tags: (o, r) => tags[`${o}/${r}`] ?? tags[`${o}/${r}`.toLowerCase()],
  };
}
