/** Handler tests talk to the simulated GitHub through nock: the same model and checks as the HTTP simulator. */
import nock from 'nock';
import { handleGraphql } from '../../sim/graphql.js';
import type { GitHubModel } from '../../sim/model.js';
import { handleRest } from '../../sim/rest.js';

export function nockSimulator(model: GitHubModel, base = 'https://api.github.com'): void {
  const scope = nock(base).persist();
  scope.post('/graphql').reply(async (_uri, body) => {
    try {
      return await handleGraphql(model, body as { query: string; variables?: Record<string, unknown> });
    } catch (err) {
      model.violations.push(`simulator failed on GraphQL: ${(err as Error).stack}`);
      return [500, { message: (err as Error).message }];
    }
  });
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
    scope
      .intercept((uri) => !uri.startsWith('/graphql'), method)
      .query(true)
      .reply((uri, body) => {
        const parsed = typeof body === 'string' && body ? JSON.parse(body) : body || undefined;
        try {
          const [status, json, headers] = handleRest(model, { method, path: uri, body: parsed });
          return [status, json === undefined ? '' : json, headers ?? {}];
        } catch (err) {
          model.violations.push(`simulator failed on ${method} ${uri}: ${(err as Error).stack}`);
          return [500, { message: (err as Error).message }];
        }
      });
  }
}
