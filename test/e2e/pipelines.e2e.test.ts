/**
 * Pipelines through the real server (a child process, as `npm start` runs it) against the simulated
 * GitHub over HTTP: signed workflow_run webhooks start the next step, a failure opens the stop issue, a
 * redelivery starts nothing twice. Every request is checked against GitHub's OpenAPI description.
 */
import type { Repo } from '../../sim/model.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e.js';
import { workflowRunEvent } from '../helpers/pipeline-events.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ env: { REDELIVERY_INTERVAL_MINUTES: '0' } });
}, 120_000);
afterAll(() => e2e?.stop());
afterEach(() => {
  expect(e2e.model.violations).toEqual([]);
  expect(e2e.sim.refused).toEqual([]);
});

it('a schedule run that succeeds starts the next repository’s workflow once; its failure opens the stop issue', async () => {
  const { model } = e2e;
  model.addRepo('dssquad', '.github', {
    '.github/shipshape.yml':
      'pipelines:\n  daily-forecast:\n    - { repository: datakit, workflow: collect.yml }\n    - { repository: ml, workflow: retrain.yml, inputs: { source: "{{upstream.sha}}" } }\n',
  });
  const datakit: Repo = model.addRepo('dssquad', 'datakit', {
    '.github/workflows/collect.yml': 'on:\n  schedule: [{ cron: "0 3 * * *" }]\n',
  });
  const ml: Repo = model.addRepo('dssquad', 'ml', {
    '.github/workflows/retrain.yml': 'on:\n  workflow_dispatch:\n    inputs: { source: { required: true } }\n',
  });

  const collect = model.completeRun(model.startRun(datakit, 'collect.yml'), 'success');
  const payload = workflowRunEvent(model, datakit, collect);
  expect(await e2e.send('workflow_run', payload, 'delivery-1')).toBeLessThan(300);
  const retrain = await waitFor(() => ml.runs[0], 'the dispatched run');
  expect(retrain).toMatchObject({ event: 'workflow_dispatch', inputs: { source: collect.head_sha } });
  await waitFor(() => datakit.checkRuns.find((c) => c.conclusion === 'success'), 'the settled record');

  // GitHub redelivers the same event: nothing is started twice.
  expect(await e2e.send('workflow_run', payload, 'delivery-1')).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 500));
  expect(ml.runs).toHaveLength(1);

  model.completeRun(retrain, 'failure');
  expect(await e2e.send('workflow_run', workflowRunEvent(model, ml, retrain), 'delivery-2')).toBeLessThan(300);
  const issue = await waitFor(() => ml.issues.find((i) => i.title === 'Pipeline daily-forecast stopped at ml'), 'the stop issue');
  expect(issue.labels).toEqual(['pipeline']);
});
