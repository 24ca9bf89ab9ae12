/** Workflow and composite-action files → every `uses:` reference with its line, and whether it runs on a schedule. */
import { isMap, isSeq } from 'yaml';
import { duplicateKeyError, pairOf, parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat, type FormatError } from './format.js';

export const WORKFLOW_FILES = ['.github/workflows/*.yml', '.github/workflows/*.yaml', '**/action.yml', '**/action.yaml'];

export interface UsesRef {
  line: number;
  column?: number;
  value: string;
  /** `step` for a step's action, `job` for a reusable workflow. */
  where: 'step' | 'job';
}

export interface WorkflowFile {
  uses: UsesRef[];
  /** `on: schedule` is set (a bare `on` stays a string key in YAML 1.2, as GitHub reads it). */
  scheduled: boolean;
  error?: FormatError;
}

export const workflowFormat = defineFormat({
  id: 'workflow',
  description: 'GitHub Actions workflow or action',
  files: WORKFLOW_FILES,
  parse: (text, path) => {
    const { error, ...value } = extractUses(text, path);
    return { value, error: error && { line: error.line, message: `not valid YAML, so GitHub will not run it: ${error.message}` } };
  },
});

/** The `uses:` of one file; `path` names the file in a duplicate-key error. */
export function extractUses(text: string, path = 'workflow.yml'): WorkflowFile {
  const { doc, lineOf, columnOf, error, duplicates } = parseYaml(text);
  const on = pairOf(doc.contents, 'on')?.value;
  const scheduled = isMap(on) && !!pairOf(on, 'schedule');
  // GitHub will refuse the file, but its pins still matter once it is fixed: scan line by line.
  if (error) return { uses: scanUsesLines(text), scheduled, error };
  const uses: UsesRef[] = [];
  const fromSteps = (steps: unknown) => {
    if (!isSeq(steps)) return;
    for (const step of steps.items) {
      const pair = pairOf(step, 'uses');
      const value = pair ? scalarText(pair.value) : undefined;
      if (pair && value !== undefined)
        uses.push({ line: lineOf(pair.value), column: columnOf(pair.value), value: value.trim(), where: 'step' });
    }
  };
  const root = doc.contents;
  const jobs = pairOf(root, 'jobs')?.value;
  if (isMap(jobs)) {
    for (const job of jobs.items) {
      const reusable = pairOf(job.value, 'uses');
      const value = reusable ? scalarText(reusable.value) : undefined;
      if (reusable && value !== undefined)
        uses.push({ line: lineOf(reusable.value), column: columnOf(reusable.value), value: value.trim(), where: 'job' });
      fromSteps(pairOf(job.value, 'steps')?.value);
    }
  }
  // Composite actions: `runs: { using: composite, steps: [...] }`.
  const runs = pairOf(root, 'runs')?.value;
  if (isMap(runs)) fromSteps(pairOf(runs, 'steps')?.value);
  // GitHub refuses a workflow or action with any key written twice ("'x' is already defined"), same value or not.
  const duplicate = duplicateKeyError(duplicates, path, () => true, '; keep one');
  return { uses, scheduled, ...(duplicate ? { error: duplicate } : {}) };
}

const USES_LINE = /^\s*(?:-\s+)?uses:\s*(["']?)([^"'\s#]+)\1\s*(?:#.*)?$/;

/** A tolerant reading for files that are not valid YAML: every `uses:` line outside comments. */
function scanUsesLines(text: string): UsesRef[] {
  const uses: UsesRef[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = USES_LINE.exec(line);
    if (m?.[2]) uses.push({ line: i + 1, column: line.indexOf(m[2]) + 1, value: m[2], where: /^\s*-/.test(line) ? 'step' : 'job' });
  });
  return uses;
}
