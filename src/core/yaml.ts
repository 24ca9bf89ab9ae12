/** YAML parsing that keeps line numbers, so findings point at the exact line. */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node, type Pair } from 'yaml';

export interface ParsedYaml {
  doc: Document.Parsed;
  lineOf: (node: unknown) => number;
  /** 1-based column where the node starts. */
  columnOf: (node: unknown) => number;
  /** First parse error, with its line, if the text is not valid YAML. */
  error?: { line: number; message: string };
  /** Keys written twice in one mapping, in file order (the parse keeps both; `pairOf` reads the last). */
  duplicates: DuplicateKey[];
}

export interface DuplicateKey {
  /** Where the key sits: `rules.core-pinned`, `packages[0].revision`. */
  path: string;
  /** The line of the first copy and of the later one. */
  first: number;
  second: number;
  /** Both copies hold the same scalar (or nothing): harmless to a reader that keeps the last. */
  sameValue: boolean;
}

/** Real YAML files nest a few levels; the parser's time and stack grow with flow nesting, so deeper is refused. */
export const MAX_FLOW_DEPTH = 64;

/**
 * The line where `[`/`{` flow collections nest deeper than `max` (quoted scalars and comments skipped), else
 * undefined. One linear pass, run before parsing, so `[[[[…` a megabyte deep cannot stall or crash the parser.
 */
export function tooDeep(text: string, max = MAX_FLOW_DEPTH): number | undefined {
  let depth = 0;
  let line = 1;
  let quote = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    if (lineStart) {
      lineStart = false;
      // Compact nested sequences (`- - - - x`) nest block collections on one line: count them too.
      let j = i;
      let dashes = 0;
      for (;;) {
        while (text[j] === ' ' || text[j] === '\t') j++;
        if (text[j] !== '-' || (text[j + 1] !== ' ' && text[j + 1] !== '\t')) break;
        dashes++;
        j += 2;
      }
      if (dashes > max) return line;
    }
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = true;
      if (quote === "'") quote = '';
      continue;
    }
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return line;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

export function parseYaml(text: string): ParsedYaml {
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const empty = parseDocument('');
    return {
      doc: empty,
      lineOf: () => 1,
      columnOf: () => 1,
      error: { line: deep, message: `collections are nested more than ${MAX_FLOW_DEPTH} levels deep, which Shipshape does not read` },
      duplicates: [],
    };
  }
  const lineCounter = new LineCounter();
  // uniqueKeys off: the parser would name only the second copy; `duplicates` names both, and each format
  // decides what a duplicate means for the tool that reads the file.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: true });
  const lineOf = (node: unknown): number => {
    const range = (node as Node | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const columnOf = (node: unknown): number => {
    const range = (node as Node | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).col : 1;
  };
  const first = doc.errors[0];
  const error = first
    ? { line: first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line, message: first.message.split('\n')[0] ?? first.message }
    : undefined;
  return { doc, lineOf, columnOf, error, duplicates: error ? [] : duplicateKeys(doc.contents, lineOf) };
}

/** Every key written twice in one mapping. Iterative (block nesting has no depth cap); aliases are not followed. */
function duplicateKeys(root: unknown, lineOf: (node: unknown) => number): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Array<[node: unknown, path: string]> = [[root, '']];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (isMap(node)) {
      const seen = new Map<string, Pair>();
      for (const pair of node.items) {
        const key: unknown = isScalar(pair.key) ? pair.key.value : undefined;
        const name = keyText(key);
        const at = name === undefined ? path : path ? `${path}.${name}` : name;
        // `<<` merge keys may repeat; complex (non-scalar) keys are left alone.
        if (name !== undefined && name !== '<<') {
          const id = `${typeof key}:${name}`;
          const earlier = seen.get(id);
          if (earlier) {
            out.push({ path: at, first: lineOf(earlier.key), second: lineOf(pair.key), sameValue: sameScalar(earlier.value, pair.value) });
          } else seen.set(id, pair);
        }
        stack.push([pair.value, at]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
    }
  }
  return out.sort((a, b) => a.second - b.second);
}

/** A scalar key as text (`null` for `~`); undefined for a complex key, which is left alone. */
function keyText(key: unknown): string | undefined {
  if (key === null) return 'null';
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint'
    ? String(key)
    : undefined;
}

function sameScalar(a: unknown, b: unknown): boolean {
  const value = (n: unknown) => (n === null || n === undefined ? null : isScalar(n) ? n.value : n);
  const [x, y] = [value(a), value(b)];
  return (x === null || typeof x !== 'object') && x === y;
}

/**
 * The message for a key written twice, naming `file:line` of both copies: the first duplicate (in file
 * order) that `counts`, plus how many more. Undefined when none counts.
 */
export function duplicateKeyError(
  duplicates: readonly DuplicateKey[],
  file: string,
  counts: (d: DuplicateKey) => boolean,
  why: string,
): { line: number; message: string } | undefined {
  const relevant = duplicates.filter(counts);
  const d = relevant[0];
  if (!d) return undefined;
  const more = relevant.length > 1 ? ` (and ${relevant.length - 1} more key${relevant.length > 2 ? 's' : ''} written twice)` : '';
  return { line: d.second, message: `${writtenTwice(d, file)}${why}${more}` };
}

export const writtenTwice = (d: DuplicateKey, file: string) =>
  `\`${d.path}\` is written twice, at ${file}:${d.first} and ${file}:${d.second}`;

/** For files read by dbt (PyYAML keeps the last copy): a repeated key with the same value is harmless. */
export const DBT_DUPLICATE = {
  counts: (d: DuplicateKey) => !d.sameValue,
  why: ', with different values; dbt reads only the last one, so keep the one you mean',
};

/**
 * The pair of `map` whose key is `key`: the last one when a key is written twice, as dbt (PyYAML) and
 * `toJS` read it. No alias resolution: aliases are never expanded here.
 */
export function pairOf(map: unknown, key: string) {
  if (!isMap(map)) return undefined;
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const p = items[i];
    if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return p;
  }
  return undefined;
}

export function valueOf(map: unknown, key: string): unknown {
  return pairOf(map, key)?.value ?? undefined;
}

/** A scalar's value as a string, or undefined for anything that is not a scalar. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  // `version: 1.10` must stay "1.10", not the number 1.1: use the text as written.
  const source = (node as { srcToken?: { source?: string } }).srcToken?.source;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return source ?? String(v);
  return source;
}

export { isMap, isSeq, isScalar, isPair };
