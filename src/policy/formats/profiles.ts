/** dbt profiles.yml → profiles, their targets and the credential fields each target sets. */
import { isMap, type YAMLMap } from 'yaml';
import { DBT_DUPLICATE, duplicateKeyError, pairOf, parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat } from './format.js';

/** Keys of a dbt target that hold credentials (adapters name them differently). */
const CREDENTIAL_KEYS = new Set([
  'password',
  'pass',
  'token',
  'private_key',
  'private_key_passphrase',
  'keyfile_json',
  'client_secret',
  'secret',
  'access_key',
  'secret_key',
  'aws_secret_access_key',
  'api_key',
  'refresh_token',
]);

export interface CredentialField {
  /** Lower-cased key: `password`, `keyfile_json`, … */
  key: string;
  line: number;
  /** The scalar as written; undefined for a mapping or a list (an inline value). */
  value?: string;
}

export interface Profile {
  name: string;
  /** The line of `outputs:`. */
  outputsLine: number;
  targets: Array<{ name: string; credentials: CredentialField[] }>;
}

export const profilesFormat = defineFormat({
  id: 'profiles',
  description: 'dbt profiles file',
  files: ['**/profiles.yml', '**/profiles.yaml'],
  parse: (text, path) => {
    const { doc, lineOf, error, duplicates } = parseYaml(text);
    if (error) return { value: [] as Profile[], error };
    const profiles: Profile[] = [];
    const duplicate = duplicateKeyError(duplicates, path, DBT_DUPLICATE.counts, DBT_DUPLICATE.why);
    if (!isMap(doc.contents)) return { value: profiles, error: duplicate };
    for (const profile of (doc.contents as YAMLMap).items) {
      const name = scalarText(profile.key) ?? '';
      const outputsPair = pairOf(profile.value, 'outputs');
      if (name === 'config' || !outputsPair || !isMap(outputsPair.value)) continue;
      const targets = outputsPair.value.items.map((target) => ({
        name: scalarText(target.key) ?? '',
        credentials: isMap(target.value)
          ? target.value.items
              .map((field) => ({
                key: (scalarText(field.key) ?? '').toLowerCase(),
                line: lineOf(field.key),
                value: isMap(field.value) ? undefined : scalarText(field.value),
                inline: isMap(field.value),
              }))
              .filter((f) => CREDENTIAL_KEYS.has(f.key) && (f.inline || f.value !== undefined))
              .map(({ key, line, value }) => ({ key, line, value }))
          : [],
      }));
      profiles.push({ name, outputsLine: lineOf(outputsPair.key), targets });
    }
    return { value: profiles, error: duplicate };
  },
});
