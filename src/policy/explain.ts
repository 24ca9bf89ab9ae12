/** `shipshape explain <rule>`: a rule's (or `malformed-file`'s) own metadata, as text. */
import { FORMATS } from './formats/index.js';
import { MALFORMED_FILE } from './malformed-file.js';
import { ruleById } from './registry.js';

export function explainRule(id: string): string | undefined {
  const meta =
    id === MALFORMED_FILE.id
      ? { ...MALFORMED_FILE, defaultLevel: 'error (always on)', formats: FORMATS.map((f) => f.id) }
      : ruleById(id)?.meta;
  if (!meta) return undefined;
  const reads = FORMATS.filter((f) => (meta.formats as readonly string[]).includes(f.id)).flatMap((f) => f.files);
  const codes = Object.entries(meta.messages).map(([code, text]) => `    ${code}: ${text}`);
  return [
    meta.id,
    '',
    meta.description,
    '',
    `Default level: ${meta.defaultLevel}`,
    `Reads: ${[...new Set(reads)].join(', ')}`,
    '',
    'Findings:',
    ...codes,
    '',
    `Fails:\n${indent(meta.docs.failing)}`,
    '',
    `Passes:\n${indent(meta.docs.fixed)}`,
  ].join('\n');
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
