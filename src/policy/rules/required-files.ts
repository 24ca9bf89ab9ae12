import picomatch from 'picomatch';
import { CONFIG_FILE, settingLine } from '../formats/shipshape-config.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

export interface RequiredFilesOptions {
  'required-files': string[];
}

export const requiredFiles = defineRule<'required-files', RequiredFilesOptions>({
  meta: {
    id: 'required-files',
    description: 'The files the production checklist requires exist (`required-files`: Dockerfile, CI workflow, README), and something runs the store on a schedule.',
    defaultLevel: 'error',
    formats: ['workflow', 'schedulers', 'shipshape-config'],
    options: {
      'required-files': { type: 'array', items: { type: 'string' }, default: ['Dockerfile', 'README.md', '.github/workflows/*.y*ml'] },
    },
    messages: {
      missing: 'no file matches a glob of `required-files`',
      'no-schedule': 'nothing runs the store on a schedule: no Airflow DAG, scheduled workflow or Kubernetes CronJob (a warning)',
    },
    docs: {
      details:
        'Each glob of `required-files` matches at least one file, at any depth (`Dockerfile` is met by `docker/Dockerfile`). Something runs the store on a schedule — an Airflow DAG (a Python file under `dags/`, or named `*dag*.py`, that builds a `DAG`), a workflow with `on: schedule`, or a Kubernetes `CronJob` — or there is a warning. Missing files are reported on their line of `shipshape.yml`.',
      failing: '# a store with dbt models but no Dockerfile, no .github/workflows/*.yml, no README.md,\n# and no Airflow DAG, scheduled workflow or CronJob',
      fixed: 'Dockerfile\nREADME.md\n.github/workflows/ci.yml\ndags/store_dag.py   # with DAG(..., schedule="0 5 * * *")',
      language: 'text',
    },
  },
  check({ files, options }) {
    const findings: RuleFinding[] = [];
    const positions = files.of('shipshape-config')[0]?.value;
    for (const glob of options['required-files']) {
      // "At any depth": `Dockerfile` is met by `docker/Dockerfile`.
      const anyDepth = glob.startsWith('/') ? glob.slice(1) : glob.startsWith('**/') ? glob : `**/${glob}`;
      const isMatch = picomatch(anyDepth, { dot: true });
      if (!files.paths.some((p) => isMatch(p))) {
        const line = settingLine(positions, 'required-files', glob);
        findings.push({ path: CONFIG_FILE, line, code: 'missing', message: `no file matches \`${glob}\`, which the production checklist requires`, fix: `add ${describe(glob)}, or remove \`${glob}\` from \`required-files\`` });
      }
    }
    const scheduled = files.of('schedulers').some((f) => f.value.schedules) || files.of('workflow').some((f) => f.path.startsWith('.github/workflows/') && f.value.scheduled);
    if (!scheduled) {
      findings.push({ path: CONFIG_FILE, line: 1, code: 'no-schedule', maxSeverity: 'warning', message: 'nothing runs this store on a schedule: no Airflow DAG, no workflow with `on: schedule`, no Kubernetes CronJob', fix: 'add the DAG (or scheduled workflow) that runs the store in production' });
    }
    return findings;
  },
});

const describe = (glob: string) => (glob.includes('*') ? `a file matching \`${glob}\`` : `\`${glob}\``);
