/** `dashboard.yml` beside a report definition → the dashboard's version. */
import { DBT_DUPLICATE, duplicateKeyError, pairOf, parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat } from './format.js';

export interface DashboardFile {
  version?: { value: string; line: number };
}

export const dashboardFormat = defineFormat({
  id: 'dashboard',
  description: 'dashboard definition',
  files: ['**/dashboard.yml', '**/dashboard.yaml'],
  parse: (text, path): { value: DashboardFile; error?: { line: number; message: string } } => {
    const { doc, lineOf, error, duplicates } = parseYaml(text);
    if (error) return { value: {}, error };
    const pair = pairOf(doc.contents, 'version');
    const value = pair ? scalarText(pair.value) : undefined;
    // Read like the dbt files beside it: a repeated key with the same value is harmless, two values are not.
    const duplicate = duplicateKeyError(
      duplicates,
      path,
      DBT_DUPLICATE.counts,
      ', with different values, so which one counts cannot be known; keep one',
    );
    return { value: pair && value !== undefined ? { version: { value, line: lineOf(pair.value) } } : {}, error: duplicate };
  },
});
