/** What each request costs against GitHub's secondary limits. */
import { costOf, endpointOf, isAuthRequest, reportedGraphqlCost } from '../../src/github/budgets.js';

const summary = (method: string, url: string, params: Record<string, unknown> = {}) =>
  costOf(method, url, params).claims.map((c) => `${c.kind.name}:${c.key}:${c.points}`);

describe('endpointOf', () => {
  it('folds templates, concrete pagination URLs and GHE prefixes onto one endpoint', () => {
    expect(endpointOf('/repos/{owner}/{repo}/pulls/{pull_number}/files')).toBe('/repos/*/*/pulls/*/files');
    expect(endpointOf('http://127.0.0.1:9/api/v3/repos/css42/store/pulls/7/files?per_page=100&page=2')).toBe('/repos/*/*/pulls/*/files');
    expect(endpointOf('https://api.github.com/repos/o/r/check-runs')).toBe('/repos/*/*/check-runs');
    expect(endpointOf('/graphql')).toBe('/graphql');
    expect(endpointOf('http://127.0.0.1:9/api/graphql')).toBe('/graphql');
  });
});

describe('costOf', () => {
  it('charges REST reads 1 point and writes 5, each on its own endpoint', () => {
    expect(summary('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}')).toEqual(['rest:GET /repos/*/*/git/trees/*:1']);
    expect(summary('POST', '/repos/{owner}/{repo}/check-runs')).toEqual(['rest:POST /repos/*/*/check-runs:5']);
    expect(summary('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}')).toEqual(['rest:PATCH /repos/*/*/check-runs/*:5']);
  });

  it('counts content creation for issues, comments, releases and reactions, not for check runs or labels', () => {
    expect(summary('POST', '/repos/{owner}/{repo}/issues')).toEqual([
      'rest:POST /repos/*/*/issues:5',
      'content-minute:content:1',
      'content-hour:content:1',
    ]);
    expect(summary('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments')).toContain('content-minute:content:1');
    expect(summary('POST', '/repos/{owner}/{repo}/releases')).toContain('content-hour:content:1');
    expect(summary('POST', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions')).toContain('content-minute:content:1');
    expect(summary('POST', '/repos/{owner}/{repo}/check-runs')).toHaveLength(1);
    expect(summary('POST', '/repos/{owner}/{repo}/labels')).toHaveLength(1);
    expect(summary('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}')).toHaveLength(1);
    expect(summary('GET', '/repos/{owner}/{repo}/issues')).toHaveLength(1);
  });

  it('charges a GraphQL query 1 point and a mutation 5 on the GraphQL budget; content-creating mutations count as content', () => {
    expect(summary('POST', '/graphql', { query: 'query($owner: String!) { repository(owner: $owner, name: "x") { name } }' })).toEqual([
      'graphql:graphql:1',
    ]);
    expect(summary('POST', '/graphql', { query: 'mutation { updateIssue(input: {id: "x"}) { clientMutationId } }' })).toEqual([
      'graphql:graphql:5',
    ]);
    expect(
      summary('POST', '/graphql', { query: 'mutation { addComment(input: {subjectId: "x", body: "y"}) { clientMutationId } }' }),
    ).toEqual(['graphql:graphql:5', 'content-minute:content:1', 'content-hour:content:1']);
  });

  it('names the repository a request is about, for fair ordering', () => {
    expect(costOf('GET', '/repos/{owner}/{repo}', { owner: 'Css42', repo: 'Store' }).repository).toBe('css42/store');
    expect(costOf('GET', 'http://h/api/v3/repos/css42/store/pulls/1/files?page=2').repository).toBe('css42/store');
    expect(costOf('POST', '/graphql', { query: 'query { x }', owner: 'o', repo: 'r' }).repository).toBe('o/r');
    expect(costOf('POST', '/graphql', { query: 'query { x }', variables: { owner: 'o', name: 'n' } }).repository).toBe('o/n');
    expect(costOf('GET', '/app/installations').repository).toBe('');
  });
});

it('reads the cost GitHub reports for a GraphQL query when it asked for rateLimit', () => {
  expect(reportedGraphqlCost({ data: { rateLimit: { cost: 7 }, repository: {} } })).toBe(7);
  expect(reportedGraphqlCost({ data: { repository: {} } })).toBeUndefined();
  expect(reportedGraphqlCost(undefined)).toBeUndefined();
});

it('leaves token minting out of the installation budgets', () => {
  expect(isAuthRequest('POST', '/app/installations/{installation_id}/access_tokens')).toBe(true);
  expect(isAuthRequest('POST', 'http://h/api/v3/app/installations/42/access_tokens')).toBe(true);
  expect(isAuthRequest('POST', '/repos/{owner}/{repo}/check-runs')).toBe(false);
});
