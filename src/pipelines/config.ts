/**
 * The `pipelines:` section of the org's `.github/shipshape.yml`: named chains of workflows in several
 * repositories of the organization. Only the shape lives in the schema; names, templates and cycles are
 * judged by validate.ts, which can say more precisely what is wrong and where.
 */
export interface PipelineStep {
  /** A repository of the organization, by name (no owner). */
  repository: string;
  /** The workflow file name under `.github/workflows/`, e.g. `retrain.yml`. */
  workflow: string;
  /** workflow_dispatch inputs; values may use `{{upstream.repository|sha|run_id|run_url}}`. */
  inputs?: Record<string, string | number | boolean>;
}

export type Pipelines = Record<string, PipelineStep[]>;

export const PIPELINES_SCHEMA = {
  type: 'object',
  default: {},
  additionalProperties: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['repository', 'workflow'],
      properties: {
        repository: { type: 'string', minLength: 1 },
        workflow: { type: 'string', minLength: 1 },
        inputs: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      },
    },
  },
};

/** The repository and workflow file of a step, as one comparable key. */
export const stepKey = (s: { repository: string; workflow: string }) => `${s.repository.toLowerCase()}/${s.workflow}`;

/** Every place a workflow is a step: `(pipeline, index)` pairs, in the file's order. */
export function stepsOf(pipelines: Pipelines, repository: string, workflow: string): Array<{ pipeline: string; index: number }> {
  const key = stepKey({ repository, workflow });
  return Object.entries(pipelines).flatMap(([pipeline, steps]) =>
    steps.flatMap((s, index) => (stepKey(s) === key ? [{ pipeline, index }] : [])),
  );
}

/** Whether a repository takes part in a pipeline (for `/pipeline status`). */
export const hasRepository = (steps: PipelineStep[], repository: string) =>
  steps.some((s) => s.repository.toLowerCase() === repository.toLowerCase());

export const stopIssueTitle = (pipeline: string, repository: string) => `Pipeline ${pipeline} stopped at ${repository}`;
