import { FULL_SHA } from '../formats/refs.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

const DIGEST = /@sha256:[0-9a-f]{64}$/i;

export const actionsPinned = defineRule({
  meta: {
    id: 'actions-pinned',
    description: 'GitHub Actions and reusable workflows are pinned to a full commit SHA.',
    defaultLevel: 'warning',
    formats: ['workflow'],
    messages: {
      unpinned: 'a `uses:` pinned to a tag or branch (which can be moved), without a ref, or a Docker image without a digest',
    },
    docs: {
      details:
        'Every `uses:` of a workflow step, a reusable workflow (`jobs.<id>.uses`) or a composite action is pinned to a full commit SHA. Local actions (`./…`) and `docker://…@sha256:…` are fine. A workflow that is not valid YAML is a `malformed-file` error (GitHub will not run it) and its `uses:` lines are still checked.',
      failing: 'steps:\n  - uses: actions/checkout@v4',
      fixed: 'steps:\n  - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      language: 'yaml',
    },
  },
  check({ files }) {
    const findings: RuleFinding[] = [];
    for (const { path, value } of files.of('workflow')) {
      for (const use of value.uses) {
        const problem = judge(use.value, use.where);
        if (problem) findings.push({ path, line: use.line, column: use.column, code: 'unpinned', ...problem });
      }
    }
    return findings;
  },
});

function judge(ref: string, where: 'step' | 'job'): { message: string; fix: string } | undefined {
  if (ref.startsWith('./') || ref.startsWith('.\\')) return undefined;
  if (ref.startsWith('docker://')) {
    return DIGEST.test(ref) ? undefined : { message: `\`${ref}\` is a Docker image without a digest`, fix: 'append `@sha256:<digest>` to the image' };
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
