/** Pipeline problems as findings on the org's shipshape.yml, each on the line of its pipeline or step. */
import { parseYaml, valueOf, isSeq, pairOf } from '../core/yaml.js';
import type { CheckMeta } from '../core/check-meta.js';
import type { Finding } from '../policy/types.js';
import { parseConfigLayer, withDefaults } from '../config/load.js';
import { dispatchProblems, structuralProblems, type PipelineProblem, type RepositoryFacts } from './validate.js';

/** The pipelines check's meta, the shape every check has (core/check-meta.ts), with the codes it reports. */
export const PIPELINES_CHECK = {
  id: 'pipelines',
  description: "The org's `pipelines:` name repositories the app can read and workflows it can start, in steps without cycles.",
  defaultLevel: 'error',
  messages: {
    pipeline: 'a problem with a whole pipeline (its name, its steps, a cycle)',
    step: 'a step that cannot be started: its repository, its workflow, its `workflow_dispatch` inputs',
    'not-org-config': "a `pipelines:` section outside the org's `.github` file, which is never read (a warning)",
  },
} as const satisfies CheckMeta & { messages: Record<string, string> };

export function problemsAsFindings(path: string, text: string, problems: PipelineProblem[]): Finding[] {
  const parsed = parseYaml(text);
  const doc = parsed.doc;
  const lineOf = (node: unknown) => parsed.lineOf(node);
  const section = valueOf(doc.contents, 'pipelines');
  const lineFor = (p: PipelineProblem): number => {
    const pair = pairOf(section, p.pipeline);
    if (!pair) return lineOf(pairOf(doc.contents, 'pipelines')?.key) || 1;
    const steps = pair.value;
    if (p.step === undefined || !isSeq(steps)) return lineOf(pair.key);
    return lineOf(steps.items[p.step]) || lineOf(pair.key);
  };
  return problems.map((p) => ({
    rule: PIPELINES_CHECK.id,
    code: p.step === undefined ? 'pipeline' : 'step',
    severity: p.severity,
    path,
    line: lineFor(p),
    message: `pipeline \`${p.pipeline}\`${p.step === undefined ? '' : ` step ${p.step + 1}`}: ${p.message}`,
  }));
}

/**
 * Pipelines are read from the org's `.github` file only: a `pipelines:` section in any other repository's
 * file is a warning on its line, rather than a section that sits there unread. Pure.
 */
export function pipelinesOutsideOrgFile(owner: string, path: string, text: string): Finding[] {
  const parsed = parseConfigLayer({ file: path, text });
  if (!parsed.ok || Object.keys(withDefaults(parsed.value).pipelines).length === 0) return [];
  const yaml = parseYaml(text);
  return [
    {
      rule: PIPELINES_CHECK.id,
      code: 'not-org-config',
      severity: 'warning',
      path,
      line: yaml.lineOf(pairOf(yaml.doc.contents, 'pipelines')?.key) || 1,
      message: `\`pipelines:\` is read only from ${owner}/.github's \`${path}\`; here it has no effect: move it there`,
    },
  ];
}

/** The findings of an org shipshape.yml's `pipelines:`, given what GitHub said about their repositories. Pure. */
export function pipelineConfigFindings(
  owner: string,
  path: string,
  text: string,
  facts: Readonly<Record<string, RepositoryFacts>>,
): Finding[] {
  const parsed = parseConfigLayer({ file: path, text });
  if (!parsed.ok) return []; // the check already reports an invalid file
  const pipelines = withDefaults(parsed.value).pipelines;
  return problemsAsFindings(path, text, [
    ...structuralProblems(pipelines),
    ...dispatchProblems(owner, pipelines, new Map(Object.entries(facts))),
  ]);
}
