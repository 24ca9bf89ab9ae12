/**
 * Which files of a repository are its own policy surface: vendored and generated trees (built-in), the
 * globs of `ignore:` and templates (cookiecutter/Jinja markup) are left out — not parsed, never a finding,
 * and never counted as present by `required-files`. Templates are listed once in the summary.
 */
import picomatch from 'picomatch';

/** Vendored or generated trees, at any depth. */
export const BUILT_IN_IGNORES = ['node_modules/', 'dbt_packages/', 'dbt_modules/', 'target/', '.venv/', 'venv/'];

/** `ignore:` in shipshape.yml: its JSON-schema fragment and type (referenced from config/schema.ts). */
export const IGNORE_SCHEMA = { type: 'array', items: { type: 'string', minLength: 1 }, default: [] };
export interface IgnoreSection {
  ignore: string[];
}

/**
 * A glob "at any depth", as `.gitignore` reads names: `fixtures` and `fixtures/` match a file or folder of
 * that name anywhere; `test/fixtures/**` matches under any `test/fixtures/`; a leading `/` anchors at the root.
 */
export function anyDepthGlobs(glob: string): string[] {
  const anchored = glob.startsWith('/');
  let g = anchored ? glob.slice(1) : glob;
  const folderOnly = g.endsWith('/');
  if (folderOnly) g = g.slice(0, -1);
  const base = anchored || g.startsWith('**/') ? g : `**/${g}`;
  return folderOnly ? [`${base}/**`] : [base, `${base}/**`];
}

/** Compiled matchers by `ignore:` list: compiling the globs cost more than the rest of scoping a check. */
const compiled = new Map<string, (path: string) => boolean>();

export function ignoreMatcher(userGlobs: readonly string[] = []): (path: string) => boolean {
  const key = userGlobs.join('\0');
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = picomatch([...BUILT_IN_IGNORES, ...userGlobs].flatMap(anyDepthGlobs), { dot: true });
    if (compiled.size >= 64) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, matcher);
  }
  return matcher;
}

export const BUILT_IN_IGNORED = ignoreMatcher();

/**
 * The folder of a path that is a template by its name: the first segment holding `{{ … }}`
 * (`tooling/template/{{ cookiecutter.x }}/`), else undefined. Plain string search: names are input.
 */
export function templateFolder(path: string): string | undefined {
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const open = s.indexOf('{{');
    if (open >= 0 && s.indexOf('}}', open + 2) >= 0) return i === segments.length - 1 ? path : `${segments.slice(0, i + 1).join('/')}/`;
  }
  return undefined;
}

/**
 * A file whose lines carry Jinja block tags (`{% if %}`, `{% raw %}`) outside values is a template: the
 * tag starts the line. `version: "{% if x %}1{% endif %}"` (dbt's Jinja inside a value) and `${{ … }}` are not.
 */
export function hasTemplateLines(text: string): boolean {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text.startsWith('{%', i)) return true;
    start = end + 1;
  }
  return false;
}
