import { FULL_SHA } from '../formats/refs.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

const DIGEST = /@sha256:[0-9a-f]{64}$/i;
const RELEASE_TAG = /^v\d+\.\d+\.\d+$/;

/**
 * Actions that must be referenced by a release tag: the SLSA generator's reusable workflows verify their
 * own ref and fail when called by SHA (its docs: "always use a tag @vX.Y.Z … not SHA").
 */
export const BY_TAG_BUILT_IN = ['slsa-framework/slsa-github-generator/.github/workflows/', 'slsa-framework/slsa-github-generator/actions/'];

export interface ActionsOptions {
  'actions-pinned': { allow: string[] };
}

/** An `allow` entry names an action (`owner/repo`), a path in it, or a folder ending in `/`; names compare in any case. */
function allowedByTag(name: string, allow: readonly string[]): boolean {
  const n = name.toLowerCase();
  return [...BY_TAG_BUILT_IN, ...allow].some((entry) => {
    const e = entry.toLowerCase().replace(/@.*$/, '').replace(/\*+$/, '');
    return e.endsWith('/') ? n.startsWith(e) : n === e || n.startsWith(`${e}/`);
  });
}

export const actionsPinned = defineRule<'actions-pinned', ActionsOptions>({
  meta: {
    id: 'actions-pinned',
    description: 'GitHub Actions and reusable workflows are pinned to a full commit SHA.',
    defaultLevel: 'warning',
    formats: ['workflow'],
    options: {
      'actions-pinned': {
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: { allow: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] } },
      },
    },
    messages: {
      unpinned: 'a `uses:` pinned to a tag or branch (which can be moved), without a ref, or a Docker image without a digest',
      'needs-release-tag':
        'an action that must be used by tag (the SLSA generator, `actions-pinned.allow`) on something other than a `vX.Y.Z` release tag',
    },
    docs: {
      details:
        "Every `uses:` of a workflow step, a reusable workflow (`jobs.<id>.uses`) or a composite action is pinned to a full commit SHA. Local actions (`./…`) and `docker://…@sha256:…` are fine. Some actions must be referenced by a release tag instead: the SLSA generator's reusable workflows (`slsa-framework/slsa-github-generator/.github/workflows/*@vX.Y.Z`) are built in, and `actions-pinned: { allow: [owner/repo, owner/repo/path/] }` adds an organization's own; they are accepted on a `vX.Y.Z` tag with a note (or on a full SHA), and other refs fail. A workflow that is not valid YAML is a `malformed-file` error (GitHub will not run it) and its `uses:` lines are still checked.",
      failing: 'steps:\n  - uses: actions/checkout@v4',
      fixed: 'steps:\n  - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      language: 'yaml',
    },
  },
  check({ files, options, note }) {
    const allow = options['actions-pinned'].allow;
    const findings: RuleFinding[] = [];
    const accepted = new Set<string>();
    for (const { path, value } of files.of('workflow')) {
      for (const use of value.uses) {
        const at = use.value.lastIndexOf('@');
        const name = at < 0 ? use.value : use.value.slice(0, at);
        const version = at < 0 ? '' : use.value.slice(at + 1);
        if (!use.value.startsWith('./') && !use.value.startsWith('docker://') && allowedByTag(name, allow)) {
          if (RELEASE_TAG.test(version)) accepted.add(`\`${name}@${version}\``);
          else if (!FULL_SHA.test(version))
            findings.push({
              path,
              line: use.line,
              column: use.column,
              code: 'needs-release-tag',
              message: `\`${name}\` must be referenced by a release tag \`vX.Y.Z\`, not \`${version || 'no ref'}\``,
              fix: 'use a release tag of it (`@vX.Y.Z`), as its documentation requires',
            });
          continue;
        }
        const problem = judge(use.value, use.where);
        if (problem) findings.push({ path, line: use.line, column: use.column, code: 'unpinned', ...problem });
      }
    }
    if (accepted.size)
      note?.(
        `actions-pinned accepted ${[...accepted].sort().join(', ')} by release tag: these must be referenced by tag, not SHA (built in for the SLSA generator, or listed in \`actions-pinned.allow\`)`,
      );
    return findings;
  },
});

function judge(ref: string, where: 'step' | 'job'): { message: string; fix: string } | undefined {
  if (ref.startsWith('./') || ref.startsWith('.\\')) return undefined;
  if (ref.startsWith('docker://')) {
    return DIGEST.test(ref)
      ? undefined
      : { message: `\`${ref}\` is a Docker image without a digest`, fix: 'append `@sha256:<digest>` to the image' };
  }
  const at = ref.lastIndexOf('@');
  const what = where === 'job' ? 'reusable workflow' : 'action';
  if (at < 0) return { message: `${what} \`${ref}\` has no ref at all`, fix: 'append `@<40-character commit SHA>`' };
  const name = ref.slice(0, at);
  const version = ref.slice(at + 1);
  if (FULL_SHA.test(version)) return undefined;
  const kind = /^v?\d+(\.\d+)*$/.test(version) ? 'tag' : 'ref';
  return {
    message: `${what} \`${name}\` is pinned to the ${kind} \`${version}\`, which can be moved to other code`,
    fix: `pin the full commit SHA that \`${version}\` points to (keep \`# ${version}\` as a comment)`,
  };
}
