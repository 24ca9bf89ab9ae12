import type { Pipelines } from '../../src/pipelines/config.js';
import { decide, type CompletedRun, type StepWorld } from '../../src/pipelines/decide.js';
import type { RepositoryFacts } from '../../src/pipelines/validate.js';
import { readDispatchTrigger } from '../../src/pipelines/workflow-file.js';

const steps: Pipelines[string] = [
  { repository: 'dssquad-datakit', workflow: 'collect.yml' },
  {
    repository: 'dssquad-ml',
    workflow: 'retrain.yml',
    inputs: {
      source: '{{upstream.sha}}',
      from: '{{upstream.repository}}#{{upstream.run_id}}',
      link: '{{upstream.run_url}}',
      extra: 'dropped',
    },
  },
  { repository: 'dssquad-app', workflow: 'deploy.yml' },
];
const run = (over: Partial<CompletedRun> = {}): CompletedRun => ({
  owner: 'dssquad',
  repository: 'dssquad-datakit',
  workflow: 'collect.yml',
  id: 501,
  attempt: 1,
  url: 'https://github.com/dssquad/dssquad-datakit/actions/runs/501',
  sha: 'a'.repeat(40),
  conclusion: 'success',
  branch: 'main',
  defaultBranch: 'main',
  event: 'schedule',
  ...over,
});
const ml: RepositoryFacts = {
  reachable: true,
  defaultBranch: 'main',
  workflows: { 'retrain.yml': readDispatchTrigger('on:\n  workflow_dispatch:\n    inputs: { source: {}, from: {}, link: {} }\n') },
};
const world = (over: Partial<StepWorld> = {}): StepWorld => ({ problems: [], next: ml, ...over });
const kinds = (d: ReturnType<typeof decide>) => d.effects.map((e) => e.kind);

describe('decide: a completed run of a pipeline step', () => {
  it('success starts the next step on its default branch, with the declared inputs templated from the upstream run', () => {
    const d = decide('daily-forecast', steps, 0, run(), world());
    expect(d.effects).toEqual([
      {
        kind: 'dispatch',
        repository: 'dssquad-ml',
        workflow: 'retrain.yml',
        ref: 'main',
        inputs: {
          source: 'a'.repeat(40),
          from: 'dssquad/dssquad-datakit#501',
          link: 'https://github.com/dssquad/dssquad-datakit/actions/runs/501',
        },
      },
    ]);
    expect(d.summary).toBe('daily-forecast step 1 (dssquad-datakit/collect.yml): succeeded; starting dssquad-ml/retrain.yml');
  });

  it('the last step ends the chain', () => {
    expect(
      decide('daily-forecast', steps, 2, run({ repository: 'dssquad-app', workflow: 'deploy.yml' }), world({ next: undefined })),
    ).toEqual({
      summary: 'daily-forecast step 3 (dssquad-app/deploy.yml): the last step succeeded; pipeline daily-forecast is complete',
      effects: [],
    });
  });

  it('a redelivered success (this run already started the next step) starts nothing', () => {
    const d = decide(
      'daily-forecast',
      steps,
      0,
      run(),
      world({ dispatched: { url: 'https://github.com/dssquad/dssquad-ml/actions/runs/9' } }),
    );
    expect(d.effects).toEqual([]);
    expect(d.summary).toContain('already started dssquad-ml/retrain.yml (https://github.com/dssquad/dssquad-ml/actions/runs/9); not again');
  });

  it.each(['failure', 'timed_out', 'startup_failure'])('%s stops the chain with a new issue and a Slack message', (conclusion) => {
    const d = decide(
      'daily-forecast',
      steps,
      1,
      run({ repository: 'dssquad-ml', workflow: 'retrain.yml', conclusion, event: 'workflow_dispatch' }),
      world(),
    );
    expect(kinds(d)).toEqual(['stop', 'notify']);
    const stop = d.effects[0] as Extract<(typeof d.effects)[number], { kind: 'stop' }>;
    expect(stop).toMatchObject({ repository: 'dssquad-ml', title: 'Pipeline daily-forecast stopped at dssquad-ml', issue: undefined });
    expect(stop.body).toContain(`**Why:** the run https://github.com/dssquad/dssquad-datakit/actions/runs/501 ended \`${conclusion}\``);
    expect(stop.body).toContain('2. dssquad-ml `retrain.yml` ← stopped here');
  });

  it('a failure while the issue is open updates that issue', () => {
    const d = decide('daily-forecast', steps, 0, run({ conclusion: 'failure' }), world({ stopIssue: { number: 4 } }));
    expect(d.effects[0]).toMatchObject({ kind: 'stop', issue: 4, update: expect.stringContaining('Still stopped') });
  });

  it('success after a stop closes the issue and goes on', () => {
    const d = decide('daily-forecast', steps, 0, run(), world({ stopIssue: { number: 4 } }));
    expect(kinds(d)).toEqual(['dispatch', 'recover', 'notify']);
    expect(d.effects[1]).toMatchObject({ kind: 'recover', issue: 4, comment: expect.stringContaining('the chain goes on to dssquad-ml') });
  });

  it.each([
    ['cancelled', 'run ended `cancelled`; the chain waits'],
    ['skipped', 'run ended `skipped`; the chain waits'],
  ])('%s neither starts nor stops anything', (conclusion, summary) => {
    const d = decide('daily-forecast', steps, 0, run({ conclusion }), world());
    expect(d).toEqual({ summary: `daily-forecast step 1 (dssquad-datakit/collect.yml): ${summary}`, effects: [] });
  });

  it.each([[{ branch: 'feature/x' }], [{ event: 'pull_request' }]])(
    'runs off the default branch or for pull requests are ignored: %j',
    (over) => {
      expect(decide('daily-forecast', steps, 0, run(over), world()).effects).toEqual([]);
    },
  );

  it('stops at the upstream step, with the reason, when the next step cannot be started', () => {
    const cases: Array<[RepositoryFacts | undefined, string]> = [
      [{ reachable: false }, 'repository `dssquad/dssquad-ml` does not exist or Shipshape is not installed on it'],
      [
        { reachable: true, defaultBranch: 'main', workflows: { 'retrain.yml': undefined } },
        '`.github/workflows/retrain.yml` does not exist on the default branch (`main`) of dssquad/dssquad-ml',
      ],
      [
        { reachable: true, defaultBranch: 'main', workflows: { 'retrain.yml': readDispatchTrigger('on: push\n') } },
        'has no `on: workflow_dispatch`',
      ],
      [
        {
          reachable: true,
          defaultBranch: 'main',
          workflows: { 'retrain.yml': readDispatchTrigger('on:\n  workflow_dispatch:\n    inputs: { dataset: { required: true } }\n') },
        },
        'it requires `dataset`, which the pipeline does not give',
      ],
    ];
    for (const [next, reason] of cases) {
      const d = decide('daily-forecast', steps, 0, run(), world({ next, stopIssue: { number: 4 } }));
      expect(kinds(d)).toEqual(['stop', 'notify']);
      expect(d.effects[0]).toMatchObject({
        repository: 'dssquad-datakit',
        title: 'Pipeline daily-forecast stopped at dssquad-datakit',
        issue: 4,
      });
      expect((d.effects[0] as { body: string }).body).toContain('cannot start the next step, dssquad-ml/retrain.yml: ');
      expect((d.effects[0] as { body: string }).body).toContain(reason);
    }
  });

  it('a pipeline whose configuration has an error (a cycle) is not continued', () => {
    const d = decide(
      'daily-forecast',
      steps,
      0,
      run(),
      world({
        problems: [
          { pipeline: 'daily-forecast', severity: 'error', message: 'this pipeline forms a cycle: a → a' },
          { pipeline: 'other', severity: 'error', message: 'x' },
        ],
      }),
    );
    expect(kinds(d)).toEqual(['stop', 'notify']);
    expect(d.summary).toContain("the pipeline's configuration is invalid: this pipeline forms a cycle: a → a");
  });
});
