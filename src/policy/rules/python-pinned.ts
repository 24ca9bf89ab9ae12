import { extractRequirements, isExactPin, REQUIREMENTS_FILES } from '../extract/requirements.js';
import { classifyRevision } from '../extract/refs.js';
import type { Rule, RuleFinding } from '../types.js';

export const pythonPinned: Rule = {
  id: 'python-pinned',
  description: 'Python requirements are pinned with == (or hashes); VCS requirements pin a commit or tag.',
  files: REQUIREMENTS_FILES,
  docs: {
    failing: 'dbt-core>=1.7\nrequests\ngit+https://github.com/acme/etl-lib.git@main#egg=etl-lib',
    fixed: 'dbt-core==1.7.4\nrequests==2.31.0\ngit+https://github.com/acme/etl-lib.git@v1.4.0#egg=etl-lib',
  },
  check({ files }) {
    const findings: RuleFinding[] = [];
    for (const { path, text } of files) {
      for (const req of extractRequirements(text)) {
        if (req.kind === 'named' && !req.hashed && !isExactPin(req.spec)) {
          const what = req.spec ? `allows a range (\`${req.spec}\`)` : 'has no version';
          findings.push({ path, line: req.line, code: 'unpinned', message: `requirement \`${req.name}\` ${what}`, fix: `pin one exact version: \`${req.name}==X.Y.Z\`` });
        } else if (req.kind === 'vcs') {
          const kind = req.ref ? classifyRevision(req.ref) : undefined;
          if (kind !== 'commit' && kind !== 'version-tag') {
            const what = req.ref ? `points at \`${req.ref}\`, which is not a tag or a full commit SHA` : 'has no `@ref`, so it installs the default branch';
            findings.push({ path, line: req.line, code: 'unpinned', message: `VCS requirement ${what}`, fix: 'append `@<tag>` or `@<40-character commit SHA>` to the URL' });
          }
        }
      }
    }
    return findings;
  },
};
