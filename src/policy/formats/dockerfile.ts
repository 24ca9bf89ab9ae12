/**
 * Dockerfiles → the images they build on: every `FROM`, and every `COPY --from=` that names an outside
 * image, with build arguments resolved. dockerfile-ast reads the instructions (line continuations, the
 * `# escape=` directive, comments between continued lines); the `ARG` expansion is our own, in one pass
 * over the instructions with bounded values, so a hostile Dockerfile cannot make it blow up.
 */
import { Arg, Copy, DockerfileParser, From } from 'dockerfile-ast';
import { defineFormat } from './format.js';

/** `Dockerfile`, `Dockerfile.*`, `Dockerfile_*`, `Dockerfile-*`, `*.Dockerfile` (names match in any case). */
export const DOCKERFILES = ['**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile_*', '**/Dockerfile-*', '**/*.Dockerfile'];

export interface ImageRef {
  /** Registry and repository, lower-cased: `ghcr.io/sciance-inc/core.dashboards_store`, `python`. */
  name: string;
  tag?: string;
  digest?: string;
}

/** `FROM` or `COPY --from=` (an outside image there counts like a `FROM`). */
export type ImageSource = 'FROM' | 'COPY --from';

export type FromEntry =
  | { kind: 'image'; line: number; raw: string; image: ImageRef; platform?: string; via: ImageSource }
  | { kind: 'stage' | 'scratch'; line: number; raw: string; via: ImageSource }
  /** An `ARG` without a default (or a variable from nowhere) decides the image. */
  | { kind: 'unresolved'; line: number; raw: string; variable: string; via: ImageSource };

/** dockerfile-ast reads any text (unknown instructions are kept as such), so a Dockerfile is never malformed here. */
export const dockerfileFormat = defineFormat({
  id: 'dockerfile',
  description: 'Dockerfile',
  files: DOCKERFILES,
  parse: (text) => ({ value: extractFroms(text) }),
});

/** An expanded value longer than this is not a real image name: expansion stops there. */
const MAX_VALUE = 1024;
const MAX_INSTRUCTION = 8192;
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]{0,255})(?:(:?[-+])([^}]{0,256}))?\}|([A-Za-z_][A-Za-z0-9_]{0,255}))/g;

/** Build arguments: a name's value, or undefined when it has no default or its value cannot be known. */
type Scope = Map<string, string | undefined>;

/** `$A`, `${A}`, `${A:-default}`, `${A:+alt}` from the scope; unknown or default-less names are reported. */
function expand(value: string, scope: Scope): { text: string; missing?: string } {
  let missing: string | undefined;
  const text = value.replace(
    VARIABLE,
    (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const set = scope.get(name);
      if (op === ':-' || op === '-') return set !== undefined && (op === '-' || set !== '') ? set : (word ?? '');
      if (op === ':+' || op === '+') return set !== undefined && (op === '+' || set !== '') ? (word ?? '') : '';
      if (set === undefined) missing ??= name;
      return set ?? whole;
    },
  );
  return text.length > MAX_VALUE
    ? { text: value, missing: missing ?? 'a build argument (the expanded name is too long)' }
    : { text, missing };
}

export function extractFroms(text: string): FromEntry[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages = new Set<string>();
  // Docker lets FROM see only the ARGs declared before the first FROM; a default declared later (inside a
  // stage) is still what the author means the image to be, so it is used too (as Renovate does).
  const globalArgs: Scope = new Map();
  let stageCount = 0;
  const out: FromEntry[] = [];
  const judge = (raw: string, line: number, via: ImageSource, platform?: string) => {
    const { text: expanded, missing } = expand(raw, globalArgs);
    if (missing) return out.push({ kind: 'unresolved', line, raw, variable: missing, via });
    if (expanded.toLowerCase() === 'scratch') return out.push({ kind: 'scratch', line, raw, via });
    if (stages.has(expanded.toLowerCase()) || (via === 'COPY --from' && /^\d+$/.test(expanded) && Number(expanded) < stageCount))
      return out.push({ kind: 'stage', line, raw, via });
    return out.push({ kind: 'image', line, raw: expanded, image: parseImageRef(expanded), platform, via });
  };
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    // dockerfile-ast's argument reading grows faster than linearly on long `${${…` runs: no real FROM,
    // COPY or ARG is this long, so such an instruction is reported as unknown instead of being read.
    if ((keyword === 'FROM' || keyword === 'COPY' || keyword === 'ARG') && instruction.getTextContent().length > MAX_INSTRUCTION) {
      if (keyword === 'FROM' || /--from/i.test(instruction.getTextContent()))
        out.push({
          kind: 'unresolved',
          line,
          raw: `${instruction.getTextContent().slice(0, 40)}…`,
          variable: 'an instruction over 8 KB',
          via: keyword === 'FROM' ? 'FROM' : 'COPY --from',
        });
      if (keyword === 'FROM') stageCount++;
      continue;
    }
    if (instruction instanceof Arg) {
      const property = instruction.getProperty();
      const name = property?.getName();
      if (!name) continue;
      const value = property?.getValue();
      if (value === null || value === undefined) {
        if (!globalArgs.has(name)) globalArgs.set(name, undefined);
        continue;
      }
      const expanded = expand(value, globalArgs);
      // A value built on an unknown argument (or too long) is unknown itself: never kept half-expanded.
      globalArgs.set(name, expanded.missing ? undefined : expanded.text);
    } else if (instruction instanceof From) {
      const from = instruction;
      const raw = from.getArguments()[0]?.getValue() ?? '';
      if (raw) judge(raw, line, 'FROM', from.getPlatformFlag()?.getValue() ?? undefined);
      stageCount++;
      const alias = from.getBuildStage();
      if (alias) stages.add(alias.toLowerCase());
    } else if (instruction instanceof Copy) {
      // Not getFromFlag(): it only sees `--from` when it is the first flag.
      const raw = instruction
        .getFlags()
        .find((f) => f.getName().toLowerCase() === 'from')
        ?.getValue();
      if (raw) judge(raw, line, 'COPY --from');
    }
  }
  return out;
}

/** `registry:5000/ns/name:tag@sha256:…` → parts; a `:` before the last `/` is a registry port, not a tag. */
export function parseImageRef(ref: string): ImageRef {
  const [beforeDigest, digest] = ref.split('@', 2) as [string, string | undefined];
  const lastSlash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return {
    name: (hasTag ? beforeDigest.slice(0, colon) : beforeDigest).toLowerCase(),
    tag: hasTag ? beforeDigest.slice(colon + 1) : undefined,
    digest,
  };
}

/** Docker Hub's implicit prefixes, so `python` and `docker.io/library/python` compare equal. */
export function canonicalImageName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

/** The instruction as quoted in messages: `FROM python:3.12`, `COPY --from=image12`. */
export const instructionText = (entry: { via: ImageSource; raw: string }): string =>
  entry.via === 'FROM' ? `FROM ${entry.raw}` : `COPY --from=${entry.raw}`;
