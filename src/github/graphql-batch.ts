/**
 * One GraphQL query over several repositories: each is the alias `r<i>` with its own owner and name
 * variables, so a single request (and GitHub's point cost of one query) reads a whole batch.
 */
export interface BatchQuery {
  query: string;
  variables: Record<string, string>;
}

/**
 * `fieldsOf` gives the fields read of each repository; `variable(name, value)` declares one more string
 * variable for it and returns its name (without `$`).
 */
export function repositoriesQuery<T extends { owner: string; repo: string }>(
  targets: readonly T[],
  fieldsOf: (target: T, i: number, variable: (name: string, value: string) => string) => string,
): BatchQuery {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  const variable = (name: string, value: string) => {
    variables[name] = value;
    declarations.push(`$${name}: String!`);
    return name;
  };
  const fields = targets.map((t, i) => {
    const owner = variable(`o${i}`, t.owner);
    const name = variable(`n${i}`, t.repo);
    return `r${i}: repository(owner: $${owner}, name: $${name}) { ${fieldsOf(t, i, variable)} }`;
  });
  return { query: `query(${declarations.join(', ')}) { ${fields.join(' ')} }`, variables };
}
