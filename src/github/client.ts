/** The one Octokit type the GitHub layer takes, and GraphQL with "not found" told apart from failure. */
import type { Context } from 'probot';

export type GitHub = Context['octokit'];

interface GraphqlFailure {
  errors?: Array<{ type?: string; message?: string; path?: Array<string | number> }>;
  data?: unknown;
}

/**
 * Run a GraphQL query whose fields may legitimately name things that do not exist (a repository we cannot
 * see, a missing file). NOT_FOUND errors leave that field null; any other error is a real failure.
 */
export async function graphqlAllowingNotFound<T>(octokit: GitHub, query: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await octokit.graphql<T>(query, variables);
  } catch (err) {
    const failure = err as GraphqlFailure;
    if (failure.data && failure.errors?.length && failure.errors.every((e) => e.type === 'NOT_FOUND')) return failure.data as T;
    throw err;
  }
}
