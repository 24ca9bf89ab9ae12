import picomatch from 'picomatch';
import { isMap } from 'yaml';
import { lineContaining, pairOf, parseYaml } from '../extract/yaml-positions.js';
import type { Rule, RuleFinding } from '../types.js';

const CONFIG_FILE = '.github/shipshape.yml';
const WORKFLOWS = ['.github/workflows/*.yml', '.github/workflows/*.yaml'];
const DAGS = ['**/dags/**/*.py', '**/*dag*.py'];
const KUBERNETES = ['**/k8s/**/*.y*ml', '**/kubernetes/**/*.y*ml', '**/manifests/**/*.y*ml', '**/deploy/**/*.y*ml', '**/charts/**/templates/*.y*ml', '**/*cron*.y*ml'];
const isWorkflow = picomatch(WORKFLOWS, { dot: true });
const isDag = picomatch(DAGS, { dot: true });

export const requiredFiles: Rule = {
  id: 'required-files',
  description: 'The files the production checklist requires exist (`required-files`: Dockerfile, CI workflow, README), and something runs the store on a schedule.',
  files: [...WORKFLOWS, ...DAGS, ...KUBERNETES, CONFIG_FILE],
  docs: {
    failing: '# a store with dbt models but no Dockerfile, no .github/workflows/*.yml, no README.md,\n# and no Airflow DAG, scheduled workflow or CronJob',
    fixed: 'Dockerfile\nREADME.md\n.github/workflows/ci.yml\ndags/store_dag.py   # with DAG(..., schedule="0 5 * * *")',
  },
  check({ snapshot, files, config }) {
    const findings: RuleFinding[] = [];
    const configText = files.find((f) => f.path === CONFIG_FILE)?.text;
    const at = (needle?: string) => ({ path: CONFIG_FILE, line: lineContaining(configText, needle) });
    for (const glob of config['required-files']) {
      // "At any depth": `Dockerfile` is met by `docker/Dockerfile`.
      const anyDepth = glob.startsWith('/') ? glob.slice(1) : glob.startsWith('**/') ? glob : `**/${glob}`;
      const isMatch = picomatch(anyDepth, { dot: true });
      if (!snapshot.paths.some((p) => isMatch(p))) {
        findings.push({ ...at(glob), code: 'missing', message: `no file matches \`${glob}\`, which the production checklist requires`, fix: `add ${describe(glob)}, or remove \`${glob}\` from \`required-files\`` });
      }
    }
    if (!files.some(isScheduler)) {
      findings.push({ ...at(), code: 'no-schedule', maxSeverity: 'warning', message: 'nothing runs this store on a schedule: no Airflow DAG, no workflow with `on: schedule`, no Kubernetes CronJob', fix: 'add the DAG (or scheduled workflow) that runs the store in production' });
    }
    return findings;
  },
};

function isScheduler(file: { path: string; text: string }): boolean {
  if (isDag(file.path)) return /\bfrom\s+airflow\b|\bimport\s+airflow\b/.test(file.text) && /\bDAG\s*\(|@dag\b/.test(file.text);
  if (file.path === CONFIG_FILE) return false;
  if (isWorkflow(file.path)) {
    const { doc } = parseYaml(file.text);
    // YAML 1.1 reads a bare `on` key as true; the yaml package (1.2) keeps it a string, as GitHub does.
    const on = pairOf(doc.contents, 'on')?.value;
    return isMap(on) ? !!pairOf(on, 'schedule') : false;
  }
  return /^kind:\s*CronJob\s*$/m.test(file.text);
}

const describe = (glob: string) => (glob.includes('*') ? `a file matching \`${glob}\`` : `\`${glob}\``);
