/**
 * GitHub's documented cost of a GraphQL query, in points: every connection (a field taking `first` or
 * `last`) counts one request per node its parents can return, the sum is divided by 100 and rounded, and
 * a query costs at least 1 point (docs.github.com, "Rate limits and query limits for the GraphQL API").
 */
import { Kind, parse, type SelectionSetNode, type ValueNode } from 'graphql';

export function queryPoints(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet]] : [])),
  );
  const value = (v: ValueNode): number =>
    v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.VARIABLE ? Number(variables[v.name.value] ?? 0) : 0;
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, multiplier: number): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FRAGMENT_SPREAD) walk(fragments.get(s.name.value), multiplier);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, multiplier);
      else {
        const size = s.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
        if (size) {
          requests += multiplier;
          walk(s.selectionSet, multiplier * value(size.value));
        } else walk(s.selectionSet, multiplier);
      }
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}
