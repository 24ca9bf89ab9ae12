import picomatch from 'picomatch';
import { settingLine } from '../formats/shipshape-config.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

export interface RequiredFilesOptions {
  'required-files': string[];
}

export const requiredFiles = defineRule<'required-files', RequiredFilesOptions>({
  meta: {
    id: 'required-files',
    description:
      'The files the production checklist requires exist (`required-files`: Dockerfile, CI workflow, README), and something runs the store on a schedule.',
    defaultLevel: 'error',
    formats: ['workflow', 'schedulers', 'shipshape-config', 'dbt-project'],
    options: {
      'required-files': { type: 'array', items: { type: 'string' }, default: ['Dockerfile', 'README.md', '.github/workflows/*.y*ml'] },
    },
    messages: {
      missing: 'no file matches a glob of `required-files`',
      'no-schedule': 'nothing runs the store on a schedule: no Airflow DAG, scheduled workflow or Kubernetes CronJob (a warning)',
    },
    docs: {
      details:
        'Each glob of `required-files` matches at least one file, at any depth (`Dockerfile` is met by `docker/Dockerfile`). In a store (a repository with a `dbt_project.yml`), something runs it on a schedule — an Airflow DAG (a Python file under `dags/`, or named `*dag*.py`, that builds a `DAG`), a workflow with `on: schedule`, or a Kubernetes `CronJob` — or there is a warning. `README.md` is met by any README-like file (`README`, `readme.md`, `README.rst`, any case). Ignored files (`ignore:` and the built-in `node_modules/`, `dbt_packages/`, `target/`, `.venv/`, `venv/`) and templates never count. A missing file is a finding about the repository as a whole: it names no file (`"file": null` in `shipshape check --format json`), is listed in the check run\'s summary and annotated on its line of `shipshape.yml` when the repository has one.',
      failing:
        '# a store with dbt models but no Dockerfile, no .github/workflows/*.yml, no README.md,\n# and no Airflow DAG, scheduled workflow or CronJob',
      fixed: 'Dockerfile\nREADME.md\n.github/workflows/ci.yml\ndags/store_dag.py   # with DAG(..., schedule="0 5 * * *")',
      language: 'text',
    },
  },
  check({ files, options }) {
    const findings: RuleFinding[] = [];
    const positions = files.of('shipshape-config')[0]?.value;
    for (const glob of options['required-files']) {
      const isMatch = requiredMatcher(glob);
      if (!files.paths.some((p) => isMatch(p))) {
        // About the repository as a whole: no file (the line is the setting's, used when shipshape.yml exists).
        const line = settingLine(positions, 'required-files', glob);
        findings.push({
          path: null,
          line,
          code: 'missing',
          message: `no file matches \`${glob}\`, which the production checklist requires`,
          fix: `add ${describe(glob)}, or remove \`${glob}\` from \`required-files\``,
        });
      }
    }
    // A store is a dbt project: a repository without one (a service, a library) is not asked to be scheduled.
    const store = files.of('dbt-project').length > 0;
    const scheduled =
      files.of('schedulers').some((f) => f.value.schedules) ||
      files.of('workflow').some((f) => f.path.startsWith('.github/workflows/') && f.value.scheduled);
    if (store && !scheduled) {
      findings.push({
        path: null,
        line: 1,
        code: 'no-schedule',
        maxSeverity: 'warning',
        message: 'nothing runs this store on a schedule: no Airflow DAG, no workflow with `on: schedule`, no Kubernetes CronJob',
        fix: 'add the DAG (or scheduled workflow) that runs the store in production',
      });
    }
    return findings;
  },
});

/** README-like names, in any case: `README`, `readme.md`, `Readme.rst`. */
const README_LIKE = /^readme(?:\.[a-z0-9]{1,10})?$/i;

/** A glob of `required-files`, matched at any depth (`Dockerfile` is met by `docker/Dockerfile`); a README-like one by any README. */
function requiredMatcher(glob: string): (path: string) => boolean {
  const bare = glob.replace(/^\/|^\*\*\//, '');
  if (README_LIKE.test(bare)) {
    const folder = bare.includes('/') ? bare.slice(0, bare.lastIndexOf('/') + 1) : '';
    return (p) => {
      const slash = p.lastIndexOf('/');
      return README_LIKE.test(p.slice(slash + 1)) && (folder === '' || p.slice(0, slash + 1).endsWith(folder));
    };
  }
  const anyDepth = glob.startsWith('/') ? glob.slice(1) : glob.startsWith('**/') ? glob : `**/${glob}`;
  return picomatch(anyDepth, { dot: true });
}

const describe = (glob: string) => (glob.includes('*') ? `a file matching \`${glob}\`` : `\`${glob}\``);
