/**
 * What a check needs beyond the snapshot's files, asked of every rule that is on (each declares its own in
 * `needs`, see rule.ts): the refs and tag lists to read online, the pinned packages to look into, and
 * whether a pull request's base is compared. Gathering — the app's (github/policy-inputs.ts) and the
 * CLI's (local/) — asks here, so no file outside policy/rules/ names a rule.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import type { ParsedFiles } from './parsed.js';
import { RULES } from './registry.js';
import { optionsOf, type Rule } from './rule.js';
import type { Lookups, PackagePin } from './types.js';

const rulesOn = (config: ShipshapeConfig): Rule[] => RULES.filter((r) => config.rules[r.meta.id] !== 'off');

/** The union of what every rule that is on asks, each ref and repository once. */
export function lookupsFor(files: ParsedFiles, config: ShipshapeConfig): Lookups {
  const refs = new Map<string, Lookups['refs'][number]>();
  const tagLists = new Map<string, Lookups['tagLists'][number]>();
  for (const rule of rulesOn(config)) {
    const asked = rule.needs?.lookups?.(files, optionsOf(rule, config));
    for (const r of asked?.refs ?? []) if (!refs.has(key(r, r.ref))) refs.set(key(r, r.ref), r);
    for (const t of asked?.tagLists ?? []) if (!tagLists.has(key(t))) tagLists.set(key(t), t);
  }
  return { refs: [...refs.values()], tagLists: [...tagLists.values()] };
}

/** The pinned packages the rules that are on look into (read online with one query). */
export function packageLookups(files: ParsedFiles, config: ShipshapeConfig, host = 'github.com'): PackagePin[] {
  const out = new Map<string, PackagePin>();
  for (const rule of rulesOn(config))
    for (const pin of rule.needs?.packages?.(files, optionsOf(rule, config), host) ?? []) out.set(key(pin, pin.ref), pin);
  return [...out.values()];
}

/** Whether a rule that is on compares a pull request with its base. */
export const comparesBase = (config: ShipshapeConfig): boolean =>
  rulesOn(config).some((rule) => rule.needs?.base?.when(optionsOf(rule, config)) ?? false);

/** Whether any rule reads this file of a change's base. */
export const isBaseFile = (path: string): boolean => RULES.some((rule: Rule) => rule.needs?.base?.files(path) ?? false);

const key = (r: { owner: string; repo: string }, ref?: string) => `${r.owner}/${r.repo}${ref === undefined ? '' : `@${ref}`}`.toLowerCase();
