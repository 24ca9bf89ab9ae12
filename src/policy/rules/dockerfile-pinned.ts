import { instructionText } from '../formats/dockerfile.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

const VALID_DIGEST = /^sha256:[0-9a-f]{64}$/i;

export interface DockerfileOptions {
  dockerfile: { 'require-digest': boolean };
}

export const dockerfilePinned = defineRule<'dockerfile-pinned', DockerfileOptions>({
  meta: {
    id: 'dockerfile-pinned',
    description: 'Every Dockerfile FROM names an image tag other than `latest`, or a digest (`dockerfile.require-digest` demands digests).',
    defaultLevel: 'error',
    formats: ['dockerfile'],
    options: {
      dockerfile: {
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: { 'require-digest': { type: 'boolean', default: false } },
      },
    },
    messages: {
      unpinned: '`FROM` without a tag, with `latest`, or with a malformed digest',
      'no-digest': '`FROM` without a digest while `dockerfile.require-digest` is on',
      unverifiable: 'a build argument without a default decides the image (a warning)',
    },
    docs: {
      details:
        'Every `FROM` in `Dockerfile`, `Dockerfile.*`, `Dockerfile_*`, `Dockerfile-*` and `*.Dockerfile` (any case, any depth) — and every `COPY --from=` that names an outside image — names a tag other than `latest`, or a digest (`@sha256:` and 64 hex digits); `dockerfile.require-digest: true` demands digests. `FROM scratch`, `FROM <earlier stage>`, `--platform=` and parser directives are handled; `FROM ${BASE}` is resolved through `ARG BASE=…` over line continuations, comments between continued lines and the `# escape=` directive (a build argument without a default is a warning: the image is only known at build time). An unpinned base is reported once, on its own `FROM`.',
      failing: 'FROM python\nFROM node:latest AS assets',
      fixed: 'FROM python:3.11.9-slim\nFROM node:20.12.2@sha256:0d0b5b2b6d5e5f0c8a0a5d6b0f9b6f3b8f0e6c2b4a1f9e3d7c5b2a1f0e9d8c7b AS assets',
      language: 'dockerfile',
    },
  },
  check({ files, options }) {
    const requireDigest = options.dockerfile['require-digest'];
    const findings: RuleFinding[] = [];
    for (const { path, value: froms } of files.of('dockerfile')) {
      for (const from of froms) {
        if (from.kind === 'unresolved') {
          findings.push({
            path,
            line: from.line,
            code: 'unverifiable',
            maxSeverity: 'warning',
            message: `\`${instructionText(from)}\`: build argument \`${from.variable}\` has no default, so the image is only known at build time`,
            fix: `give \`ARG ${from.variable}\` a pinned default (\`ARG ${from.variable}=<image>:<version>\`), declared before the first FROM`,
          });
          continue;
        }
        if (from.kind !== 'image') continue;
        const { image } = from;
        if (image.digest !== undefined) {
          if (!VALID_DIGEST.test(image.digest))
            findings.push({
              path,
              line: from.line,
              code: 'unpinned',
              message: `\`${instructionText(from)}\` has a malformed digest (\`${image.digest}\`)`,
              fix: 'use `@sha256:` followed by 64 hexadecimal digits',
            });
          continue;
        }
        if (!image.tag || image.tag === 'latest') {
          const what = image.tag ? 'uses the `latest` tag' : 'has no tag, so Docker takes `latest`';
          findings.push({
            path,
            line: from.line,
            code: 'unpinned',
            message: `\`${instructionText(from)}\` ${what}, which changes without notice`,
            fix: `name a version tag (\`${image.name}:X.Y.Z\`)${requireDigest ? ' and a digest' : ' or a digest'}`,
          });
        } else if (requireDigest) {
          findings.push({
            path,
            line: from.line,
            code: 'no-digest',
            message: `\`${instructionText(from)}\` has no digest; \`dockerfile.require-digest\` is on`,
            fix: `append \`@sha256:<digest>\` of \`${image.name}:${image.tag}\``,
          });
        }
      }
    }
    return findings;
  },
});
