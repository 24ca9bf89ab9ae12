/** Files that can run the store on a schedule: Airflow DAGs and Kubernetes manifests (a CronJob). */
import picomatch from 'picomatch';
import { defineFormat } from './format.js';

const DAGS = ['**/dags/**/*.py', '**/*dag*.py'];
const KUBERNETES = [
  '**/k8s/**/*.y*ml',
  '**/kubernetes/**/*.y*ml',
  '**/manifests/**/*.y*ml',
  '**/deploy/**/*.y*ml',
  '**/charts/**/templates/*.y*ml',
  '**/*cron*.y*ml',
];
const isDag = picomatch(DAGS, { dot: true });

export interface SchedulerFile {
  /** What, if anything, in the file schedules a run. */
  schedules?: 'airflow-dag' | 'cron-job';
}

/** Python is not parsed and Helm charts are templates, so a scheduler file is read by markers and never malformed. */
export const schedulersFormat = defineFormat({
  id: 'schedulers',
  description: 'Airflow DAG or Kubernetes manifest',
  files: [...DAGS, ...KUBERNETES],
  parse: (text, path): { value: SchedulerFile } => {
    if (isDag(path)) {
      const dag = /\bfrom\s+airflow\b|\bimport\s+airflow\b/.test(text) && /\bDAG\s*\(|@dag\b/.test(text);
      return { value: dag ? { schedules: 'airflow-dag' } : {} };
    }
    return { value: /^kind:\s*CronJob\s*$/m.test(text) ? { schedules: 'cron-job' } : {} };
  },
});
