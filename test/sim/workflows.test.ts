/** GitHub Actions in the simulator: dispatches are refused as GitHub refuses them, and create runs. */
import { GitHubModel } from '../../sim/model.js';
import { handleRest } from '../../sim/rest.js';

function setUp() {
  const model = new GitHubModel();
  const repo = model.addRepo('o', 'ml', {
    '.github/workflows/retrain.yml':
      'name: Retrain\non:\n  workflow_dispatch:\n    inputs:\n      source: { required: true }\n      epochs: { required: true, default: "3" }\n',
    '.github/workflows/ci.yml': 'on: push\n',
  });
  const dispatch = (workflow: string, body: Record<string, unknown>) =>
    handleRest(model, { method: 'POST', path: `/repos/o/ml/actions/workflows/${workflow}/dispatches`, body });
  return { model, repo, dispatch };
}

describe('workflow_dispatch in the simulator', () => {
  it('creates a queued run on the ref and answers 204, or the run when asked for its details', () => {
    const { model, repo, dispatch } = setUp();
    expect(dispatch('retrain.yml', { ref: 'main', inputs: { source: 'abc' } })).toEqual([204]);
    const [status, body] = dispatch('retrain.yml', { ref: 'main', inputs: { source: 'def' }, return_run_details: true });
    expect(status).toBe(200);
    const run = repo.runs[1]!;
    expect(body).toEqual({
      workflow_run_id: run.id,
      run_url: `https://api.github.com/repos/o/ml/actions/runs/${run.id}`,
      html_url: `https://github.com/o/ml/actions/runs/${run.id}`,
    });
    expect(run).toMatchObject({
      name: 'Retrain',
      event: 'workflow_dispatch',
      status: 'queued',
      head_branch: 'main',
      inputs: { source: 'def' },
    });
    expect(model.violations).toEqual([]);
  });

  it.each([
    ['ci.yml', { ref: 'main' }, 422, "Workflow does not have 'workflow_dispatch' trigger"],
    ['retrain.yml', { ref: 'main', inputs: { source: 'a', dataset: 'b' } }, 422, 'Unexpected inputs provided: ["dataset"]'],
    ['retrain.yml', { ref: 'main', inputs: {} }, 422, "Required input 'source' not provided"],
    ['nope.yml', { ref: 'main' }, 404, 'Not Found'],
  ])('refuses %s %j as GitHub does', (workflow, body, status, message) => {
    const { repo, dispatch } = setUp();
    const [code, json] = dispatch(workflow, body);
    expect([code, (json as { message: string }).message]).toEqual([status, message]);
    expect(repo.runs).toEqual([]);
  });

  it('a body GitHub does not describe is a violation', () => {
    const { model, dispatch } = setUp();
    expect(dispatch('retrain.yml', { inputs: { source: 'a' } })[0]).toBe(422);
    expect(model.violations.pop()).toMatch(/must have required property 'ref'/);
  });

  it('lists a workflow (by file name or id) and its runs, newest first', () => {
    const { model, repo } = setUp();
    const first = model.completeRun(model.startRun(repo, 'retrain.yml'), 'failure');
    const second = model.startRun(repo, 'retrain.yml');
    const [, workflow] = handleRest(model, { method: 'GET', path: '/repos/o/ml/actions/workflows/retrain.yml' }) as [
      number,
      { id: number; path: string },
    ];
    expect(workflow.path).toBe('.github/workflows/retrain.yml');
    const [, runs] = handleRest(model, { method: 'GET', path: `/repos/o/ml/actions/workflows/${workflow.id}/runs?per_page=1` }) as [
      number,
      { total_count: number; workflow_runs: Array<{ id: number }> },
    ];
    expect(runs.total_count).toBe(2);
    expect(runs.workflow_runs.map((r) => r.id)).toEqual([second.id]);
    expect(handleRest(model, { method: 'GET', path: `/repos/o/ml/actions/runs/${first.id}` })[1]).toMatchObject({
      conclusion: 'failure',
      status: 'completed',
    });
  });

  it('a repository outside the installation answers 404 on REST and NOT_FOUND on GraphQL', async () => {
    const { model, repo } = setUp();
    repo.installed = false;
    expect(handleRest(model, { method: 'GET', path: '/repos/o/ml' })[0]).toBe(404);
    const { handleGraphql } = await import('../../sim/graphql.js');
    const [, answer] = await handleGraphql(model, { query: 'query { repository(owner: "o", name: "ml") { name } }' });
    expect(answer).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND' }] });
  });
});
