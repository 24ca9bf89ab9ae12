/** `{{upstream.sha}}`-style templates in a step's inputs, filled from the upstream workflow run. */
export const TEMPLATE_FIELDS = ['repository', 'sha', 'run_id', 'run_url'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type Upstream = Record<TemplateField, string>;

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The placeholders of a value that are not `upstream.<known field>`. */
export function unknownPlaceholders(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(PLACEHOLDER)]
    .map((m) => m[1]!)
    .filter((name) => !(name.startsWith('upstream.') && (TEMPLATE_FIELDS as readonly string[]).includes(name.slice('upstream.'.length))));
}

export function render(value: string | number | boolean, upstream: Upstream): string {
  if (typeof value !== 'string') return String(value);
  return value.replace(PLACEHOLDER, (whole, name: string) =>
    name.startsWith('upstream.') && name.slice(9) in upstream ? upstream[name.slice(9) as TemplateField] : whole,
  );
}
