/** Dockerfiles → their FROM lines, with ARG defaults resolved and earlier stages recognised. */
import { DockerfileParser } from 'dockerfile-ast';
import { defineFormat } from './format.js';

export const DOCKERFILES = ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*', '**/*.dockerfile'];

export interface ImageRef {
  /** Registry and repository, lower-cased: `ghcr.io/sciance-inc/core.dashboards_store`, `python`. */
  name: string;
  tag?: string;
  digest?: string;
}

export type FromEntry =
  | { kind: 'image'; line: number; raw: string; image: ImageRef; platform?: string }
  | { kind: 'stage' | 'scratch'; line: number; raw: string }
  /** An `ARG` without a default (or a variable from nowhere) decides the image. */
  | { kind: 'unresolved'; line: number; raw: string; variable: string };

/** dockerfile-ast reads any text (unknown instructions are kept as such), so a Dockerfile is never malformed here. */
export const dockerfileFormat = defineFormat({
  id: 'dockerfile',
  description: 'Dockerfile',
  files: DOCKERFILES,
  parse: (text) => ({ value: extractFroms(text) }),
});

export function extractFroms(text: string): FromEntry[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages = new Set<string>();
  const out: FromEntry[] = [];
  for (const from of dockerfile.getFROMs()) {
    const line = from.getRange().start.line + 1;
    const raw = from.getArguments()[0]?.getValue() ?? '';
    const expanded = from.getExpandedArguments()[0]?.getValue() ?? raw;
    const platform = from.getPlatformFlag()?.getValue() ?? undefined;
    if (!raw) continue;
    const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(expanded);
    if (variable) out.push({ kind: 'unresolved', line, raw, variable: variable[1]! });
    else if (expanded.toLowerCase() === 'scratch') out.push({ kind: 'scratch', line, raw });
    else if (stages.has(expanded.toLowerCase())) out.push({ kind: 'stage', line, raw });
    else out.push({ kind: 'image', line, raw: expanded, image: parseImageRef(expanded), platform });
    const alias = from.getBuildStage();
    if (alias) stages.add(alias.toLowerCase());
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
  return name.toLowerCase().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}
