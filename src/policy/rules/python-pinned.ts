import { isExactPin } from '../formats/requirements.js';
import { classifyRevision } from '../formats/refs.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

export const pythonPinned = defineRule({
  meta: {
    id: 'python-pinned',
    description: 'Python requirements are pinned with == (or hashes); VCS requirements pin a commit or tag.',
    defaultLevel: 'warning',
    formats: ['requirements'],
    messages: {
      unpinned: 'a requirement without one exact `==` version (and no hashes), or a VCS requirement without a tag or full commit SHA',
    },
    docs: {
      details:
        '`.txt` files whose name contains `requirements` (any case, any depth) and `.txt` files in a `requirements/` folder (`.in` files are pip-compile inputs, not checked): each requirement is pinned with `==` or `===` (or hashes); bare names, `>=`, `~=`, ranges, `==` wildcards and malformed operators fail; an `==` inside an environment marker does not pin. VCS requirements need `@<tag>` or `@<40-hex SHA>`. Options, includes and local installs (`-e .`) are not findings.',
      failing: 'dbt-core>=1.7\nrequests\ngit+https://github.com/acme/etl-lib.git@main#egg=etl-lib',
      fixed: 'dbt-core==1.7.4\nrequests==2.31.0\ngit+https://github.com/acme/etl-lib.git@v1.4.0#egg=etl-lib',
      language: 'text',
    },
  },
  check({ files }) {
    const findings: RuleFinding[] = [];
    for (const { path, value: requirements } of files.of('requirements')) {
      for (const req of requirements) {
        if (req.kind === 'named' && !req.hashed && !isExactPin(req.spec)) {
          const what = req.spec ? `allows a range (\`${req.spec}\`)` : 'has no version';
          findings.push({
            path,
            line: req.line,
            code: 'unpinned',
            message: `requirement \`${req.name}\` ${what}`,
            fix: `pin one exact version: \`${req.name}==X.Y.Z\``,
          });
        } else if (req.kind === 'vcs') {
          const kind = req.ref ? classifyRevision(req.ref) : undefined;
          if (kind !== 'commit' && kind !== 'version-tag') {
            const what = req.ref
              ? `points at \`${req.ref}\`, which is not a tag or a full commit SHA`
              : 'has no `@ref`, so it installs the default branch';
            findings.push({
              path,
              line: req.line,
              code: 'unpinned',
              message: `VCS requirement ${what}`,
              fix: 'append `@<tag>` or `@<40-character commit SHA>` to the URL',
            });
          }
        }
      }
    }
    return findings;
  },
});
