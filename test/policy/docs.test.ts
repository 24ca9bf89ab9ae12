/** The README's rule reference is generated from the rules' meta; a stale README fails here. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_RULE_LEVELS, RULE_IDS } from '../../src/config/schema.js';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import { renderRuleReference, withRuleReference } from '../../src/policy/docs.js';
import { explainRule } from '../../src/policy/explain.js';
import { RULES } from '../../src/policy/registry.js';
import { repoRoot } from '../helpers/paths.js';

it('README.md carries the rule reference as the rules describe themselves (run `npm run docs`)', () => {
  const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
  expect(withRuleReference(readme)).toBe(readme);
});

it('every rule has its section, its default level, its finding codes and both examples', () => {
  const reference = renderRuleReference();
  for (const { meta } of RULES) {
    expect(reference).toContain(`### \`${meta.id}\``);
    expect(reference).toContain(`| [\`${meta.id}\`](#${meta.id}) | ${meta.defaultLevel} |`);
    for (const code of Object.keys(meta.messages)) expect(reference).toContain(`- \`${code}\`:`);
    expect(reference).toContain(meta.docs.failing);
    expect(reference).toContain(meta.docs.fixed);
  }
});

it('the config schema, the rule ids and their default levels come from the registry', () => {
  expect(RULE_IDS).toEqual(RULES.map((r) => r.meta.id));
  expect(DEFAULT_RULE_LEVELS).toEqual(Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.defaultLevel])));
  const properties = (CONFIG_SCHEMA as { properties: Record<string, { properties?: object }> }).properties;
  expect(Object.keys(properties.rules!.properties!)).toEqual(RULE_IDS);
  for (const { meta } of RULES) for (const [key, fragment] of Object.entries(meta.options ?? {})) expect(properties[key]).toBe(fragment);
});

it('explain is the rule meta too, and knows malformed-file', () => {
  expect(explainRule('core-pinned')).toContain('image-mismatch: a Dockerfile builds on a core image release');
  expect(explainRule('malformed-file')).toMatch(/^malformed-file\n\nEvery file a rule could read is readable/);
  expect(explainRule('nope')).toBeUndefined();
});
