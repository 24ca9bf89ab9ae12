/**
 * Judging a `pipelines:` section. Structure (names, templates, cycles) needs nothing but the config;
 * whether each step can be started as declared needs facts about the repositories, which the caller
 * gathers from GitHub. Both the org config check and the runtime use these, so they never disagree.
 */
import { stepKey, type PipelineStep, type Pipelines } from './config.js';
import { TEMPLATE_FIELDS, unknownPlaceholders } from './template.js';
import type { DispatchInput, WorkflowTrigger } from './workflow-file.js';

export interface PipelineProblem {
  pipeline: string;
  /** The step's index, when the problem is one step's. */
  step?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** What GitHub told us about one repository: unreachable (missing or not installed), or its workflow files. */
export type RepositoryFacts =
  | { reachable: false }
  | {
      reachable: true;
      defaultBranch: string;
      /** Per workflow file name; undefined when the file does not exist. */ workflows: Record<string, WorkflowTrigger | undefined>;
    };

const NAME = /^[A-Za-z0-9][\w.-]*$/;
const WORKFLOW = /^[\w.-]+\.ya?ml$/;

export function structuralProblems(pipelines: Pipelines): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  for (const [pipeline, steps] of Object.entries(pipelines)) {
    if (!NAME.test(pipeline))
      problems.push({
        pipeline,
        severity: 'error',
        message: `pipeline name \`${pipeline}\` may hold only letters, digits, \`-\`, \`_\` and \`.\``,
      });
    steps.forEach((step, index) => {
      const at = (message: string) => problems.push({ pipeline, step: index, severity: 'error', message });
      if (step.repository.includes('/'))
        at(`\`${step.repository}\`: name a repository of the organization without its owner (\`${step.repository.split('/').pop()}\`)`);
      else if (!NAME.test(step.repository)) at(`\`${step.repository}\` is not a repository name`);
      if (!WORKFLOW.test(step.workflow))
        at(`\`${step.workflow}\` must be a workflow file name under \`.github/workflows/\`, such as \`retrain.yml\``);
      for (const [input, value] of Object.entries(step.inputs ?? {})) {
        for (const name of unknownPlaceholders(value))
          at(
            `input \`${input}\`: \`{{${name}}}\` is not a template field; use ${TEMPLATE_FIELDS.map((f) => `\`{{upstream.${f}}}\``).join(', ')}`,
          );
      }
    });
  }
  problems.push(...cycles(pipelines));
  return problems;
}

/** A chain that leads back to one of its own steps would dispatch forever: every such cycle is an error. */
function cycles(pipelines: Pipelines): PipelineProblem[] {
  const edges = new Map<string, Array<{ to: string; pipeline: string }>>();
  for (const [pipeline, steps] of Object.entries(pipelines)) {
    for (let i = 0; i + 1 < steps.length; i++) {
      const from = stepKey(steps[i]!);
      edges.set(from, [...(edges.get(from) ?? []), { to: stepKey(steps[i + 1]!), pipeline }]);
    }
  }
  const problems: PipelineProblem[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: Array<{ node: string; via?: string }> = [];
  const visit = (node: string, via?: string) => {
    state.set(node, 'active');
    stack.push({ node, via });
    for (const edge of edges.get(node) ?? []) {
      if (state.get(edge.to) === 'active') {
        const loop = stack.slice(stack.findIndex((s) => s.node === edge.to));
        const names = [...new Set([...loop.slice(1).map((s) => s.via!), edge.pipeline])];
        const path = [...loop.map((s) => s.node), edge.to].join(' → ');
        problems.push({
          pipeline: names[0]!,
          severity: 'error',
          message: `${names.length > 1 ? `pipelines ${names.map((n) => `\`${n}\``).join(', ')} form` : 'this pipeline forms'} a cycle: ${path}; a step may not lead back to itself`,
        });
      } else if (!state.has(edge.to)) visit(edge.to, edge.pipeline);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return problems;
}

export const unreachableMessage = (owner: string, repository: string) =>
  `repository \`${owner}/${repository}\` does not exist or Shipshape is not installed on it; add it to the app's installation (https://github.com/organizations/${owner}/settings/installations)`;

/**
 * Whether a step's workflow can be started by workflow_dispatch: the ref to start it on and its declared
 * inputs, or exactly why not.
 */
export function dispatchTarget(
  owner: string,
  step: PipelineStep,
  facts: RepositoryFacts | undefined,
): { ok: true; ref: string; declared: Record<string, DispatchInput> } | { ok: false; reason: string } {
  if (!facts || !facts.reachable) return { ok: false, reason: unreachableMessage(owner, step.repository) };
  const file = `${step.repository}/.github/workflows/${step.workflow}`;
  const trigger = facts.workflows[step.workflow];
  if (!trigger)
    return {
      ok: false,
      reason: `\`.github/workflows/${step.workflow}\` does not exist on the default branch (\`${facts.defaultBranch}\`) of ${owner}/${step.repository}`,
    };
  if (!trigger.ok) return { ok: false, reason: `\`${file}\` cannot be read: ${trigger.error}` };
  if (!trigger.dispatch)
    return {
      ok: false,
      reason: `\`${file}\` has no \`on: workflow_dispatch\`, so Shipshape cannot start it; add \`workflow_dispatch:\` to its \`on:\``,
    };
  return { ok: true, ref: facts.defaultBranch, declared: trigger.inputs };
}

/** Inputs the step gives that the workflow does not declare, and required inputs (without default) it does not give. */
export function inputMismatch(step: PipelineStep, declared: Record<string, DispatchInput>): { undeclared: string[]; missing: string[] } {
  const given = Object.keys(step.inputs ?? {});
  return {
    undeclared: given.filter((name) => !(name in declared)),
    missing: Object.entries(declared)
      .filter(([name, d]) => d.required && !d.hasDefault && !given.includes(name))
      .map(([name]) => name),
  };
}

/** Every step that Shipshape would fail to start as declared (all steps but the first are dispatched). */
export function dispatchProblems(owner: string, pipelines: Pipelines, facts: Map<string, RepositoryFacts>): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  for (const [pipeline, steps] of Object.entries(pipelines)) {
    steps.forEach((step, index) => {
      const at = (message: string, severity: 'error' | 'warning' = 'error') => problems.push({ pipeline, step: index, severity, message });
      const repoFacts = facts.get(step.repository.toLowerCase());
      if (index === 0) {
        // The first step is started by its own triggers: it need only exist.
        const target = dispatchTarget(owner, step, repoFacts);
        if (!target.ok && !/workflow_dispatch/.test(target.reason)) at(target.reason);
        if (step.inputs && Object.keys(step.inputs).length)
          at('the first step is started by its own triggers, not by Shipshape, so its `inputs` are never used', 'warning');
        return;
      }
      const target = dispatchTarget(owner, step, repoFacts);
      if (!target.ok) return at(target.reason);
      const { undeclared, missing } = inputMismatch(step, target.declared);
      const file = `${step.repository}/.github/workflows/${step.workflow}`;
      const known = Object.keys(target.declared);
      for (const name of undeclared)
        at(
          `\`${file}\` declares no input \`${name}\` (${known.length ? `it declares ${known.map((k) => `\`${k}\``).join(', ')}` : 'it declares no inputs'}); GitHub would refuse the dispatch`,
        );
      for (const name of missing) at(`\`${file}\` requires input \`${name}\`, which this step does not give; add it under \`inputs:\``);
    });
  }
  return problems;
}
