/**
 * `.github/shipshape.yml` → where each setting is written, so findings about a setting (a required file
 * that is missing, a dashboard listed as deployed) point at its line. Validity is the configuration
 * loader's job (an invalid file stops the check before the rules run), so this format reports nothing.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat } from './format.js';

export const CONFIG_FILE = '.github/shipshape.yml';

export interface SettingPosition {
  /** Dotted key path: `required-files`, `dashboards.deployed`. */
  key: string;
  /** The scalar written there (each item of a list has its own position). */
  value?: string;
  line: number;
}

export const shipshapeConfigFormat = defineFormat({
  id: 'shipshape-config',
  description: 'Shipshape configuration',
  files: [CONFIG_FILE],
  parse: (text) => {
    const { doc, lineOf } = parseYaml(text);
    const out: SettingPosition[] = [];
    const visit = (node: unknown, key: string) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const name = scalarText(pair.key);
          if (name === undefined) continue;
          const path = key ? `${key}.${name}` : name;
          out.push({ key: path, line: lineOf(pair.key) });
          visit(pair.value, path);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) visit(item, key);
      } else if (isScalar(node) && key) {
        const value = scalarText(node);
        if (value !== undefined) out.push({ key, value, line: lineOf(node) });
      }
    };
    visit(doc.contents, '');
    return { value: out };
  },
});

/** The line where `key` holds `value` (or where `key` is written), else 1: the file as a whole. */
export function settingLine(positions: readonly SettingPosition[] | undefined, key: string, value?: string): number {
  const found =
    positions?.find((p) => p.key === key && (value === undefined || p.value === value)) ??
    positions?.find((p) => p.key === key && p.value === undefined);
  return found?.line ?? 1;
}
