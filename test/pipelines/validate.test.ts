import { parseConfigLayer, withDefaults } from '../../src/config/load.js';
import type { Pipelines } from '../../src/pipelines/config.js';
import { stepsOf } from '../../src/pipelines/config.js';
import { problemsAsFindings } from '../../src/pipelines/findings.js';
import { render, unknownPlaceholders } from '../../src/pipelines/template.js';
import { dispatchProblems, structuralProblems, type RepositoryFacts } from '../../src/pipelines/validate.js';
import { readDispatchTrigger } from '../../src/pipelines/workflow-file.js';

const DAILY: Pipelines = {
  'daily-forecast': [
    { repository: 'dssquad-datakit', workflow: 'collect.yml' },
    { repository: 'dssquad-ml', workflow: 'retrain.yml', inputs: { source: '{{upstream.sha}}' } },
    { repository: 'dssquad-app', workflow: 'deploy.yml' },
  ],
};
const messages = (pipelines: Pipelines) => structuralProblems(pipelines).map((p) => p.message);

describe('the pipelines: section of the config', () => {
  it('is accepted by the config schema, with {} as default', () => {
    const yaml =
      'pipelines:\n  daily-forecast:\n    - { repository: dssquad-datakit, workflow: collect.yml }\n    - { repository: dssquad-ml, workflow: retrain.yml, inputs: { source: "{{upstream.sha}}" } }\n';
    const parsed = parseConfigLayer({ file: 'x.yml', text: yaml });
    expect(parsed.ok).toBe(true);
    expect(withDefaults(parsed.ok ? parsed.value : {}).pipelines['daily-forecast']).toHaveLength(2);
    expect(withDefaults({}).pipelines).toEqual({});
  });

  it('reports unknown keys and missing fields with their line', () => {
    const parsed = parseConfigLayer({
      file: 'x.yml',
      text: 'pipelines:\n  p:\n    - { repository: a }\n    - { repository: b, workflow: b.yml, input: {} }\n',
    });
    expect(parsed.ok ? [] : parsed.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      '3: pipelines.p.0 needs `workflow`',
      '4: unknown key `input` in pipelines.p.1; did you mean `inputs`?',
    ]);
  });
});

describe('structural validation', () => {
  it('accepts the daily-forecast example and a repository in several pipelines', () => {
    expect(
      messages({
        ...DAILY,
        weekly: [
          { repository: 'dssquad-ml', workflow: 'evaluate.yml' },
          { repository: 'dssquad-app', workflow: 'deploy.yml' },
        ],
      }),
    ).toEqual([]);
  });

  it('accepts fan-out: one step followed by different steps in two pipelines', () => {
    expect(
      messages({
        a: [
          { repository: 'x', workflow: 'x.yml' },
          { repository: 'y', workflow: 'y.yml' },
        ],
        b: [
          { repository: 'x', workflow: 'x.yml' },
          { repository: 'z', workflow: 'z.yml' },
        ],
      }),
    ).toEqual([]);
  });

  it('rejects a cycle inside one pipeline', () => {
    expect(
      messages({
        loop: [
          { repository: 'a', workflow: 'a.yml' },
          { repository: 'b', workflow: 'b.yml' },
          { repository: 'A', workflow: 'a.yml' },
        ],
      }),
    ).toEqual(['this pipeline forms a cycle: a/a.yml → b/b.yml → a/a.yml; a step may not lead back to itself']);
  });

  it('rejects a cycle across pipelines, naming both', () => {
    expect(
      messages({
        there: [
          { repository: 'a', workflow: 'a.yml' },
          { repository: 'b', workflow: 'b.yml' },
        ],
        back: [
          { repository: 'b', workflow: 'b.yml' },
          { repository: 'a', workflow: 'a.yml' },
        ],
      }),
    ).toEqual(['pipelines `there`, `back` form a cycle: a/a.yml → b/b.yml → a/a.yml; a step may not lead back to itself']);
  });

  it('rejects a step that starts itself', () => {
    expect(
      messages({
        self: [
          { repository: 'a', workflow: 'a.yml' },
          { repository: 'a', workflow: 'a.yml' },
        ],
      }),
    ).toEqual(['this pipeline forms a cycle: a/a.yml → a/a.yml; a step may not lead back to itself']);
  });

  it('names bad repository names, workflow names, pipeline names and template fields', () => {
    expect(
      messages({
        'bad name!': [
          { repository: 'acme/ml', workflow: '.github/workflows/retrain.yml' },
          { repository: 'app', workflow: 'deploy', inputs: { sha: '{{ upstream.commit }}', ok: '{{upstream.run_url}}', n: 3 } },
        ],
      }),
    ).toEqual([
      'pipeline name `bad name!` may hold only letters, digits, `-`, `_` and `.`',
      '`acme/ml`: name a repository of the organization without its owner (`ml`)',
      '`.github/workflows/retrain.yml` must be a workflow file name under `.github/workflows/`, such as `retrain.yml`',
      '`deploy` must be a workflow file name under `.github/workflows/`, such as `retrain.yml`',
      'input `sha`: `{{upstream.commit}}` is not a template field; use `{{upstream.repository}}`, `{{upstream.sha}}`, `{{upstream.run_id}}`, `{{upstream.run_url}}`',
    ]);
  });
});

describe('dispatchability (the org config check)', () => {
  const trigger = (text: string) => readDispatchTrigger(text);
  const facts = (entries: Record<string, RepositoryFacts>) => new Map(Object.entries(entries));
  const ok = facts({
    'dssquad-datakit': {
      reachable: true,
      defaultBranch: 'main',
      workflows: { 'collect.yml': trigger('on:\n  schedule: [{ cron: "0 3 * * *" }]\n') },
    },
    'dssquad-ml': {
      reachable: true,
      defaultBranch: 'main',
      workflows: {
        'retrain.yml': trigger(
          'on:\n  workflow_dispatch:\n    inputs:\n      source: { required: true }\n      epochs: { default: "3" }\n',
        ),
      },
    },
    'dssquad-app': { reachable: true, defaultBranch: 'trunk', workflows: { 'deploy.yml': trigger('on: [push, workflow_dispatch]\n') } },
  });

  it('finds nothing wrong with steps that can be started as declared', () => {
    expect(dispatchProblems('dssquad', DAILY, ok)).toEqual([]);
  });

  it('reports a workflow without workflow_dispatch, undeclared and missing inputs, missing files and unreachable repositories', () => {
    const bad = facts({
      'dssquad-datakit': { reachable: true, defaultBranch: 'main', workflows: { 'collect.yml': undefined } },
      'dssquad-ml': {
        reachable: true,
        defaultBranch: 'main',
        workflows: { 'retrain.yml': trigger('on:\n  workflow_dispatch:\n    inputs:\n      dataset: { required: true }\n') },
      },
      'dssquad-app': { reachable: true, defaultBranch: 'main', workflows: { 'deploy.yml': trigger('on: push\n') } },
    });
    expect(dispatchProblems('dssquad', DAILY, bad).map((p) => `${p.step}: ${p.message}`)).toEqual([
      '0: `.github/workflows/collect.yml` does not exist on the default branch (`main`) of dssquad/dssquad-datakit',
      '1: `dssquad-ml/.github/workflows/retrain.yml` declares no input `source` (it declares `dataset`); GitHub would refuse the dispatch',
      '1: `dssquad-ml/.github/workflows/retrain.yml` requires input `dataset`, which this step does not give; add it under `inputs:`',
      '2: `dssquad-app/.github/workflows/deploy.yml` has no `on: workflow_dispatch`, so Shipshape cannot start it; add `workflow_dispatch:` to its `on:`',
    ]);
    expect(
      dispatchProblems('dssquad', DAILY, facts({ ...Object.fromEntries(ok), 'dssquad-ml': { reachable: false } })).map((p) => p.message),
    ).toEqual([
      "repository `dssquad/dssquad-ml` does not exist or Shipshape is not installed on it; add it to the app's installation (https://github.com/organizations/dssquad/settings/installations)",
    ]);
  });

  it('warns that the first step’s inputs are never used', () => {
    const first: Pipelines = { p: [{ repository: 'dssquad-datakit', workflow: 'collect.yml', inputs: { x: '1' } }] };
    expect(dispatchProblems('dssquad', first, ok)).toMatchObject([{ severity: 'warning', step: 0 }]);
  });

  it('puts each finding on the line of its step', () => {
    const text =
      'rules: {}\npipelines:\n  daily-forecast:\n    - { repository: dssquad-datakit, workflow: collect.yml }\n    - repository: dssquad-ml\n      workflow: retrain.yml\n';
    const findings = problemsAsFindings('.github/shipshape.yml', text, [
      { pipeline: 'daily-forecast', step: 1, severity: 'error', message: 'm' },
      { pipeline: 'daily-forecast', severity: 'error', message: 'c' },
    ]);
    expect(findings.map((f) => [f.line, f.rule, f.message])).toEqual([
      [5, 'pipelines', 'pipeline `daily-forecast` step 2: m'],
      [3, 'pipelines', 'pipeline `daily-forecast`: c'],
    ]);
  });
});

describe('workflow files', () => {
  it.each([
    ['on: workflow_dispatch\n', true, {}],
    ['on: [push, workflow_dispatch]\n', true, {}],
    ['on:\n  push: {}\n', false, {}],
    ['on:\n  workflow_dispatch:\n', true, {}],
    [
      'on:\n  workflow_dispatch:\n    inputs:\n      a: { required: true }\n      b: { required: true, default: x }\n      c: {}\n',
      true,
      { a: { required: true, hasDefault: false }, b: { required: true, hasDefault: true }, c: { required: false, hasDefault: false } },
    ],
  ])('%j', (text, dispatch, inputs) => expect(readDispatchTrigger(text)).toEqual({ ok: true, dispatch, inputs }));

  it('says why a file cannot be read', () => {
    expect(readDispatchTrigger('on: [push\n')).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid YAML/) });
    expect(readDispatchTrigger('jobs: {}\n')).toEqual({ ok: false, error: 'the workflow has no `on:`' });
  });
});

describe('templates and step lookup', () => {
  const upstream = { repository: 'o/r', sha: 'abc', run_id: '7', run_url: 'https://x/7' };
  it('fills upstream fields and leaves anything else as written', () => {
    expect(render('{{upstream.sha}}@{{ upstream.repository }} {{other}}', upstream)).toBe('abc@o/r {{other}}');
    expect(render(3, upstream)).toBe('3');
    expect(unknownPlaceholders('{{upstream.run_id}} {{ upstream.nope }}')).toEqual(['upstream.nope']);
  });
  it('finds every pipeline a workflow is a step of, any case of repository', () => {
    expect(stepsOf({ ...DAILY, other: [{ repository: 'DSSQUAD-ML', workflow: 'retrain.yml' }] }, 'dssquad-ml', 'retrain.yml')).toEqual([
      { pipeline: 'daily-forecast', index: 1 },
      { pipeline: 'other', index: 0 },
    ]);
  });
});

describe("another repository's workflow goes through the guarded YAML reader", () => {
  it('a key written twice is named with both lines (GitHub refuses such a workflow)', () => {
    expect(readDispatchTrigger('on:\n  workflow_dispatch: {}\non: push\n')).toEqual({
      ok: false,
      error: 'invalid YAML: `on` is written twice (lines 1 and 3)',
    });
  });

  it('collections nested past the cap are refused before parsing, with the line', () => {
    const deep = `on: ${'['.repeat(70)}${']'.repeat(70)}\n`;
    expect(readDispatchTrigger(deep)).toEqual({
      ok: false,
      error: 'invalid YAML: collections are nested more than 64 levels deep, which Shipshape does not read (line 1)',
    });
  });

  it('an alias bomb is refused, not expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(`*${i === 1 ? 'a' : 'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    const result = readDispatchTrigger(`${levels.join('\n')}\non: push\n`);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid YAML: .*alias/i) });
  });
});
