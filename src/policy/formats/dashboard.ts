/** `dashboard.yml` beside a report definition → the dashboard's version. */
import { pairOf, parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat } from './format.js';

export interface DashboardFile {
  version?: { value: string; line: number };
}

export const dashboardFormat = defineFormat({
  id: 'dashboard',
  description: 'dashboard definition',
  files: ['**/dashboard.yml', '**/dashboard.yaml'],
  parse: (text): { value: DashboardFile; error?: { line: number; message: string } } => {
    const { doc, lineOf, error } = parseYaml(text);
    if (error) return { value: {}, error };
    const pair = pairOf(doc.contents, 'version');
    const value = pair ? scalarText(pair.value) : undefined;
    return { value: pair && value !== undefined ? { version: { value, line: lineOf(pair.value) } } : {} };
  },
});
