/**
 * Files that can run the store on a schedule → whether they do: an Airflow DAG (a Python file under
 * `dags/` or named `*dag*.py` that imports Airflow and builds a DAG) or a Kubernetes CronJob. Read by
 * markers (Python is not parsed, Helm charts are templates), so nothing here is ever malformed.
 */
import { covers } from '../../../src/policy/parsed.js';
import { schedulersFormat, type SchedulerFile } from '../../../src/policy/formats/schedulers.js';
import { checkVerbatim, crlf, text, type Copied } from './real-files.js';

interface Case extends Copied {
  /** The format decides by the path whether the text is a DAG or a manifest. */
  path: string;
  value: SchedulerFile;
}

const DAG: SchedulerFile = { schedules: 'airflow-dag' };
const CRON_JOB: SchedulerFile = { schedules: 'cron-job' };

// puckel/docker-airflow dags/tuto.py@1a436066043e7831ced689cb5439626597488438, first 25 lines (through `dag = DAG(…)`).
const TUTO = [
  '"""',
  'Code that goes along with the Airflow located at:',
  'http://airflow.readthedocs.org/en/latest/tutorial.html',
  '"""',
  'from airflow import DAG',
  'from airflow.operators.bash_operator import BashOperator',
  'from datetime import datetime, timedelta',
  '',
  '',
  'default_args = {',
  '    "owner": "airflow",',
  '    "depends_on_past": False,',
  '    "start_date": datetime(2020, 12, 2),',
  '    "email": ["airflow@airflow.com"],',
  '    "email_on_failure": False,',
  '    "email_on_retry": False,',
  '    "retries": 1,',
  '    "retry_delay": timedelta(minutes=5),',
  "    # 'queue': 'bash_queue',",
  "    # 'pool': 'backfill',",
  "    # 'priority_weight': 10,",
  "    # 'end_date': datetime(2016, 1, 1),",
  '}',
  '',
  'dag = DAG("tutorial", default_args=default_args, schedule_interval=timedelta(1))',
];

// apache/airflow airflow/example_dags/tutorial_taskflow_api.py@0e4d3c9dcf471cee0e20810ed8fed2dc50e11bb5, lines 18-37
// (the licence header left out): the TaskFlow API's `@dag` decorator.
const TASKFLOW = text(
  'from __future__ import annotations',
  '',
  '# [START tutorial]',
  '# [START import_module]',
  'import json',
  '',
  'import pendulum',
  '',
  'from airflow.decorators import dag, task',
  '',
  '',
  '# [END import_module]',
  '# [START instantiate_dag]',
  '@dag(',
  '    schedule=None,',
  '    start_date=pendulum.datetime(2021, 1, 1, tz="UTC"),',
  '    catchup=False,',
  '    tags=["example"],',
  ')',
  'def tutorial_taskflow_api():',
);

// kubernetes/website content/en/examples/application/job/cronjob.yaml@02067cca8fbaf8de9d51c20bd3e1a2dfe0aca27f (whole file).
const CRONJOB = text(
  'apiVersion: batch/v1beta1',
  'kind: CronJob',
  'metadata:',
  '  name: hello',
  'spec:',
  '  schedule: "* * * * *"',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        spec:',
  '          containers:',
  '          - name: hello',
  '            image: busybox',
  '            imagePullPolicy: IfNotPresent',
  '            command:',
  '            - /bin/sh',
  '            - -c',
  '            - date; echo Hello from the Kubernetes cluster',
  '          restartPolicy: OnFailure',
);

const realFiles: Case[] = [
  { name: 'an Airflow 1 DAG built with `DAG(…)`', path: 'dags/tuto.py', text: text(...TUTO), value: DAG },
  {
    name: 'the TaskFlow API’s `@dag` decorator, in a store’s dags/ folder',
    path: 'dags/tutorial_taskflow_api.py',
    text: TASKFLOW,
    value: DAG,
  },
  {
    // The format's files do not cover this path (the engine never asks); asked anyway, it is read as a manifest.
    name: 'the same file at its own path in apache/airflow is not a DAG path',
    path: 'airflow/example_dags/tutorial_taskflow_api.py',
    text: TASKFLOW,
    value: {},
  },
  {
    name: 'the example store’s nightly DAG, `with DAG(` over several lines',
    own: 'examples/css42.dashboards_store/dags/css42_store.py',
    path: 'dags/css42_store.py',
    text: text(
      '"""Nightly build of the css42 dashboards store, in its Docker image."""',
      'from datetime import datetime',
      '',
      'from airflow import DAG',
      'from airflow.providers.docker.operators.docker import DockerOperator',
      '',
      'with DAG(',
    ),
    value: DAG,
  },
  { name: 'a Kubernetes CronJob', path: 'k8s/cronjob.yaml', text: CRONJOB, value: CRON_JOB },
  // kubernetes/website content/en/examples/controllers/nginx-deployment.yaml@3389c10e6a8eb36cadbfe89cdb28acd00b020388, first 8 lines.
  {
    name: 'a Deployment schedules nothing',
    path: 'deploy/nginx-deployment.yaml',
    text: text(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: nginx-deployment',
      '  labels:',
      '    app.kubernetes.io/name: nginx',
      'spec:',
      '  replicas: 3',
    ),
    value: {},
  },
];

/** Variants of the files above: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty DAG file', path: 'dags/tuto.py', text: '', value: {} },
  { name: 'an empty manifest', path: 'k8s/cronjob.yaml', text: '', value: {} },
  { name: 'the DAG’s imports without the `DAG(…)` call', path: 'dags/tuto.py', text: text(...TUTO.slice(0, 7)), value: {} },
  { name: 'a DAG file with CRLF line endings', path: 'dags/tuto.py', text: crlf(text(...TUTO)), value: DAG },
  { name: 'a CronJob with CRLF line endings', path: 'k8s/cronjob.yaml', text: crlf(CRONJOB), value: CRON_JOB },
  { name: 'a CronJob after a `---` document marker', path: 'deploy/all.yaml', text: `---\n${CRONJOB}`, value: CRON_JOB },
  {
    name: 'a CronJob in a Helm template, below a `{{- if }}` line',
    path: 'charts/store/templates/cronjob.yaml',
    text: `{{- if .Values.cronjob.enabled }}\n${CRONJOB}{{- end }}\n`,
    value: CRON_JOB,
  },
  { name: 'a CronJob file named *cron*.yml anywhere', path: 'store-cronjob.yml', text: CRONJOB, value: CRON_JOB },
];

describe('schedulers format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, path, value }) => {
      expect(schedulersFormat.parse(input, path)).toEqual({ value });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, path, value }) => {
      expect(schedulersFormat.parse(input, path)).toEqual({ value });
    });
  });

  // The marker is the line `kind: CronJob` exactly; YAML also writes that kind quoted or with a comment
  // after it, and Kubernetes runs both. Then required-files warns that nothing schedules the store.
  it.failing.each([
    ['quoted', CRONJOB.replace('kind: CronJob', 'kind: "CronJob"')],
    ['followed by a comment', CRONJOB.replace('kind: CronJob', 'kind: CronJob # runs the nightly build')],
  ])('a CronJob whose kind is %s is a CronJob', (_how, input) => {
    expect(schedulersFormat.parse(input, 'k8s/cronjob.yaml')).toEqual({ value: CRON_JOB });
  });

  it.each([
    ['dags/store_dag.py', true],
    ['dags/sub/tuto.py', true],
    ['DAGS/tuto.py', true],
    ['etl/nightly_dag.py', true],
    ['k8s/cronjob.yaml', true],
    ['kubernetes/store.yml', true],
    ['manifests/store.yaml', true],
    ['deploy/nginx-deployment.yaml', true],
    ['charts/store/templates/cronjob.yaml', true],
    ['store-cronjob.yml', true],
    ['charts/store/values.yaml', false],
    ['airflow/example_dags/tutorial_taskflow_api.py', false],
    ['docker-compose.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(schedulersFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
