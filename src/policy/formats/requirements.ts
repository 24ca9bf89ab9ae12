/** requirements*.txt → typed requirements with their lines (pip's requirements-file format). */
import { defineFormat } from './format.js';

/** `.txt` files whose name contains `requirements`, and `.txt` files in a `requirements/` folder (`.in` files are pip-compile inputs). */
export const REQUIREMENTS_FILES = ['**/*requirements*.txt', '**/requirements/*.txt'];

export type Requirement =
  | { kind: 'named'; line: number; name: string; spec: string; hashed: boolean; raw: string }
  | { kind: 'vcs'; line: number; url: string; ref?: string; raw: string }
  | { kind: 'url' | 'local' | 'include' | 'option'; line: number; raw: string; target?: string };

/** pip reads every line as something (an unknown line fails at install time, as a requirement), so nothing is malformed here. */
export const requirementsFormat = defineFormat({
  id: 'requirements',
  description: 'pip requirements file',
  files: REQUIREMENTS_FILES,
  parse: (text) => ({ value: extractRequirements(text) }),
});

const OPTION_WITH_TARGET = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/;
const VCS = /^(?:-e\s+|--editable\s+)?(?:([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)\s*@\s*)?((?:git|hg|svn|bzr)\+\S+)/i;
const LOCAL = /^(?:-e\s+|--editable\s+)?(?:\.{1,2}(?:[/\\]|$|\[)|\/|file:)/;
const NAMED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/;

/** Logical lines: comments dropped, `\` continuations joined, each with its first physical line. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((physical, i) => {
    const noComment = physical.replace(/(^|\s)#.*$/, '$1');
    const continued = /\\\s*$/.test(noComment);
    const body = continued ? noComment.replace(/\\\s*$/, ' ') : noComment;
    pending = pending ? { line: pending.line, text: `${pending.text} ${body}` } : { line: i + 1, text: body };
    if (!continued) {
      if (pending.text.trim()) out.push({ line: pending.line, text: pending.text.trim() });
      pending = undefined;
    }
  });
  if (pending?.text.trim()) out.push({ line: pending.line, text: pending.text.trim() });
  return out;
}

export function extractRequirements(text: string): Requirement[] {
  return logicalLines(text).map(({ line, text: raw }) => classify(line, raw));
}

function classify(line: number, raw: string): Requirement {
  const include = OPTION_WITH_TARGET.exec(raw);
  if (include) return { kind: 'include', line, raw, target: include[2] };
  const vcs = VCS.exec(raw);
  if (vcs) return { kind: 'vcs', line, raw, url: vcs[2]!, ref: vcsRef(vcs[2]!) };
  if (LOCAL.test(raw)) return { kind: 'local', line, raw };
  if (raw.startsWith('-')) return { kind: 'option', line, raw };
  const [beforeMarker] = raw.split(';');
  const direct = /^\S+\s*@\s*(https?|file):\/\//i.test(beforeMarker!);
  if (direct || /^(https?|file):\/\//i.test(raw)) return { kind: 'url', line, raw };
  const m = NAMED.exec(beforeMarker!.trim());
  const hashed = /--hash[=\s]/.test(raw);
  const spec = (m?.[3] ?? '')
    .replace(/--hash[=\s]\S+/g, '')
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  return { kind: 'named', line, raw, name: m?.[1] ?? beforeMarker!.trim(), spec, hashed };
}

/** The `@ref` of a VCS URL (`git+https://host/o/r.git@v1.2#egg=x`), URL-decoded; undefined when absent. */
function vcsRef(url: string): string | undefined {
  const withoutFragment = url.split('#')[0]!;
  const afterScheme = withoutFragment.replace(/^[a-z+]+:\/\//i, '');
  const slash = afterScheme.indexOf('/');
  const path = slash >= 0 ? afterScheme.slice(slash) : ''; // the authority may hold user@host
  const at = path.lastIndexOf('@');
  if (at < 0) return undefined;
  const ref = path.slice(at + 1);
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}

/** True for one exact `==X` / `===X` clause (no wildcard, no second clause). */
export function isExactPin(spec: string): boolean {
  return /^===?\s*[^\s,*<>=!~]+$/.test(spec.trim());
}
