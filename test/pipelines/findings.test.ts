import { PIPELINES_CHECK, pipelineConfigFindings, pipelinesOutsideOrgFile } from '../../src/pipelines/findings.js';
import type { RepositoryFacts } from '../../src/pipelines/validate.js';
import { readDispatchTrigger } from '../../src/pipelines/workflow-file.js';
import type { Finding } from '../../src/policy/types.js';
import { testTable, type TableCase } from '../helpers/table-tester.js';

describe('pipelines outside the org file', () => {
  it('a section in a repository’s own file is one warning on its line', () =>
    expect(
      pipelinesOutsideOrgFile('acme', path, 'tool: store\n\npipelines:\n  nightly:\n    - { repository: etl, workflow: run.yml }\n'),
    ).toEqual([expect.objectContaining({ rule: 'pipelines', code: 'not-org-config', severity: 'warning', line: 3 })]));
  it('no section, an empty one, or an invalid file: nothing (the config check reports invalid files)', () => {
    expect(pipelinesOutsideOrgFile('acme', path, 'tool: store\n')).toEqual([]);
    expect(pipelinesOutsideOrgFile('acme', path, 'pipelines: {}\n')).toEqual([]);
    expect(pipelinesOutsideOrgFile('acme', path, 'pipelines: [\n')).toEqual([]);
  });
});

/** The pipelines check through the same valid/invalid table as the rules and the audit checks. */
const facts: Record<string, RepositoryFacts> = {
  kit: { reachable: true, defaultBranch: 'main', workflows: { 'collect.yml': readDispatchTrigger('on: push\n') } },
  ml: {
    reachable: true,
    defaultBranch: 'main',
    workflows: { 'retrain.yml': readDispatchTrigger('on:\n  workflow_dispatch:\n    inputs: { dataset: { required: true } }\n') },
  },
};
interface PipelineCase extends TableCase {
  text: string;
}
const path = '.github/shipshape.yml';
const run = (c: PipelineCase) => pipelineConfigFindings('dssquad', path, c.text, facts);
testTable<PipelineCase, PipelineCase & { errors: Array<{ line: number; code: string; message?: RegExp }> }, Finding>(
  PIPELINES_CHECK.id,
  {
    valid: [
      { name: 'no pipelines', text: 'tool: kit\n' },
      {
        name: 'a step that can be started, given its required input',
        text: 'pipelines:\n  nightly:\n    - { repository: kit, workflow: collect.yml }\n    - { repository: ml, workflow: retrain.yml, inputs: { dataset: "{{ upstream.sha }}" } }\n',
      },
    ],
    invalid: [
      {
        name: 'inputs on the first step (never used), and a next step whose workflow has no workflow_dispatch',
        text: 'pipelines:\n  nightly:\n    - { repository: ml, workflow: retrain.yml, inputs: { dataset: x } }\n    - { repository: kit, workflow: collect.yml }\n',
        errors: [
          { line: 3, code: 'step', message: /its `inputs` are never used/ },
          { line: 4, code: 'step', message: /has no `on: workflow_dispatch`/ },
        ],
      },
      {
        name: 'a required input not given, and a repository the app cannot see',
        text: 'pipelines:\n  nightly:\n    - { repository: kit, workflow: collect.yml }\n    - { repository: ml, workflow: retrain.yml }\n    - { repository: vault, workflow: x.yml }\n',
        errors: [
          { line: 4, code: 'step', message: /requires input `dataset`/ },
          { line: 5, code: 'step', message: /`dssquad\/vault` does not exist or Shipshape is not installed/ },
        ],
      },
    ],
  },
  { valid: run, invalid: run },
  (found, c) => {
    expect(found.map((f) => ({ rule: f.rule, line: f.line, code: f.code }))).toEqual(
      c.errors.map((e) => ({ rule: PIPELINES_CHECK.id, line: e.line, code: e.code })),
    );
    c.errors.forEach((e, i) => e.message && expect(found[i]!.message).toMatch(e.message));
    for (const f of found) expect(Object.keys(PIPELINES_CHECK.messages)).toContain(f.code);
  },
);
