import { RequestError } from '@octokit/request-error';
import { answered, describeError, httpStatus } from '../../src/github/errors.js';
import { registry } from '../../src/ops/metrics.js';
import { swallowed } from '../../src/ops/swallowed.js';

const requestError = (status: number, message = 'Not Found') =>
  new RequestError(message, status, { request: { method: 'GET', url: 'https://api.github.com/x', headers: {} } });

describe("statuses read from Octokit's RequestError", () => {
  it('only an HTTP answer has a status; lookalikes do not', () => {
    expect(httpStatus(requestError(404))).toBe(404);
    expect(httpStatus(Object.assign(new Error('x'), { status: 404 }))).toBeUndefined();
    expect(httpStatus(new Error('socket hang up'))).toBeUndefined();
    expect(answered(requestError(422), 404, 422)).toBe(true);
    expect(answered(requestError(500), 404, 422)).toBe(false);
  });

  it('describes an error in one line', () => {
    expect(describeError(requestError(502, 'Bad Gateway'))).toBe('GitHub answered 502: Bad Gateway');
    expect(describeError(new Error('socket hang up'))).toBe('socket hang up');
  });
});

describe('swallowed errors', () => {
  it('are logged with where they happened and counted', async () => {
    const warnings: Array<[Record<string, unknown>, string]> = [];
    swallowed({ warn: (obj, msg) => warnings.push([obj, msg]) }, 'slack', new Error('Slack answered 500'));
    expect(warnings).toEqual([[expect.objectContaining({ where: 'slack' }), 'slack: Slack answered 500 (carried on)']]);
    expect(await registry.getSingleMetricAsString('shipshape_swallowed_errors_total')).toMatch(
      /shipshape_swallowed_errors_total\{where="slack"\} 1/,
    );
  });
});
