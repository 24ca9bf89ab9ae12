/** YAML parsing that keeps line numbers, so findings point at the exact line. */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';

export interface ParsedYaml {
  doc: Document.Parsed;
  lineOf: (node: unknown) => number;
  /** 1-based column where the node starts. */
  columnOf: (node: unknown) => number;
  /** First parse error, with its line, if the text is not valid YAML. */
  error?: { line: number; message: string };
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
    };
  }
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicate keys are a dbt-level concern, not a reason to stop checking.
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
  return { doc, lineOf, columnOf, error };
}

/** The pair of `map` whose key is `key` (no alias resolution: aliases are never expanded here). */
export function pairOf(map: unknown, key: string) {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
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

/** The 1-based line of `text` that contains `needle` (1 when there is none), e.g. an entry of shipshape.yml. */
export function lineContaining(text: string | undefined, needle?: string): number {
  if (!text || !needle) return 1;
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  return index >= 0 ? index + 1 : 1;
}
