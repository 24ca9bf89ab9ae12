import picomatch from 'picomatch';
import { DOCKERFILES } from '../formats/dockerfile.js';
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
        'Each glob of `required-files` matches at least one file, at any depth (`Dockerfile` is met by `docker/Dockerfile`); a glob that starts with `/` looks only at the repository\'s top. `Dockerfile` is met by any file the Dockerfile rules read, in any case (`dockerfile`, `Dockerfile.prod`, `app.Dockerfile`), and `README.md` by any README-like file (`README`, `readme.md`, `README.rst`, any case); with a folder (`docs/README.md`) the file must be in a folder of that name. Other globs match case-sensitively, as GitHub does. A finding says where it looked. In a store (a repository with a `dbt_project.yml`), something runs it on a schedule — an Airflow DAG (a Python file under `dags/`, or named `*dag*.py`, that builds a `DAG`), a workflow with `on: schedule`, or a Kubernetes `CronJob` — or there is a warning. Ignored files (`ignore:` and the built-in `node_modules/`, `dbt_packages/`, `target/`, `.venv/`, `venv/`) and templates never count. A missing file is a finding about the repository as a whole: it names no file (`"file": null` in `shipshape check --format json`), is listed in the check run\'s summary and annotated on its line of `shipshape.yml` when the repository has one.',
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
      const { isMatch, looked } = requiredMatcher(glob);
      if (!files.paths.some((p) => isMatch(p))) {
        // About the repository as a whole: no file (the line is the setting's, used when shipshape.yml exists).
        const line = settingLine(positions, 'required-files', glob);
        findings.push({
          path: null,
          line,
          code: 'missing',
          message: `no file matches \`${glob}\` (${looked}), which the production checklist requires`,
          fix: `add ${glob.includes('*') ? `a file matching \`${glob}\`` : `\`${glob}\``}, or remove \`${glob}\` from \`required-files\``,
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

/** The names the Dockerfile rules read, in any case: `Dockerfile`, `dockerfile`, `Dockerfile.prod`, `app.Dockerfile`. */
const isDockerfileName = picomatch(
  DOCKERFILES.map((g) => g.replace(/^\*\*\//, '')),
  { dot: true, nocase: true },
);

/** Entries that stand for a kind of file rather than one spelling, and what then counts as one. */
const KINDS = [
  { entry: README_LIKE, name: (n: string) => README_LIKE.test(n), names: '`README`, `readme.md`, `Readme.rst`… in any case' },
  { entry: /^dockerfile$/i, name: isDockerfileName, names: '`Dockerfile`, `dockerfile`, `Dockerfile.*`, `*.Dockerfile`… in any case' },
];

/**
 * An entry of `required-files` and where it looks. A glob matches at any depth (`Dockerfile` is met by
 * `docker/Dockerfile`) unless it starts with `/` (the repository's top). A README-like name or
 * `Dockerfile` stands for that kind of file: any README-like name, or any name the Dockerfile rules read,
 * in any case, in the folder the entry names if it names one (`docs/README.md`: a README in a `docs/` folder).
 */
function requiredMatcher(glob: string): { isMatch: (path: string) => boolean; looked: string } {
  const anchored = glob.startsWith('/');
  const bare = glob.replace(/^\/|^\*\*\//, '');
  const slash = bare.lastIndexOf('/');
  const kind = KINDS.find((k) => k.entry.test(bare.slice(slash + 1)));
  if (!kind)
    return {
      isMatch: picomatch(anchored ? bare : `**/${bare}`, { dot: true }),
      looked: anchored ? "looked only at the repository's top" : 'looked at any depth',
    };
  const folder = slash < 0 ? undefined : bare.slice(0, slash);
  let inFolder: (dir: string | undefined) => boolean;
  if (folder === undefined) inFolder = (dir) => !anchored || dir === undefined;
  else {
    const isFolder = picomatch(anchored ? folder : `**/${folder}`, { dot: true });
    inFolder = (dir) => dir !== undefined && isFolder(dir);
  }
  const where =
    folder === undefined
      ? anchored
        ? "only at the repository's top"
        : 'at any depth'
      : `in a \`${folder}/\` folder ${anchored ? "at the repository's top" : 'at any depth'}`;
  return {
    isMatch: (p) => {
      const at = p.lastIndexOf('/');
      return kind.name(p.slice(at + 1)) && inFolder(at < 0 ? undefined : p.slice(0, at));
    },
    looked: `looked for ${kind.names}, ${where}`,
  };
}
