import { requiredFiles } from '../../../src/policy/rules/required-files.js';
import { testRule } from '../../helpers/rule-tester.js';

const DAG = 'from airflow import DAG\nwith DAG("store", schedule="0 5 * * *") as dag:\n    pass\n';
const base = { Dockerfile: 'FROM python:3.11\n', 'README.md': '# s\n', '.github/workflows/ci.yml': 'on: push\njobs: {}\n' };

testRule(requiredFiles, {
  valid: [
    { name: 'the defaults and an Airflow DAG', files: { ...base, 'dags/store.py': DAG } },
    { name: 'files at any depth and a scheduled workflow', files: { 'docker/Dockerfile': 'FROM x:1\n', 'docs/README.md': '', '.github/workflows/nightly.yaml': 'on:\n  schedule:\n    - cron: "0 5 * * *"\njobs: {}\n' } },
    { name: 'a Kubernetes CronJob', files: { ...base, 'k8s/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\n' } },
    { name: 'configured globs', files: { 'Makefile': '', 'etl/dags/run_dag.py': 'import airflow\nfrom airflow.decorators import dag\n@dag(schedule="@daily")\ndef run(): ...\n' }, config: { 'required-files': ['Makefile'] } },
  ],
  invalid: [
    { name: 'nothing required is there', files: { 'models/a.sql': 'select 1' }, errors: [{ line: 1, code: 'missing', message: /`Dockerfile`/ }, { line: 1, code: 'missing', message: /README\.md/ }, { line: 1, code: 'missing', message: /\.github\/workflows/ }, { line: 1, code: 'no-schedule', severity: 'warning' }] },
    { name: 'missing file reported on its line in shipshape.yml', files: { '.github/shipshape.yml': 'required-files:\n  - Dockerfile\n  - docs/RUNBOOK.md\n', Dockerfile: '', 'dags/d.py': DAG }, config: { 'required-files': ['Dockerfile', 'docs/RUNBOOK.md'] }, errors: [{ path: '.github/shipshape.yml', line: 3, code: 'missing' }] },
    { name: 'a python file named dag that is not an Airflow DAG', files: { ...base, 'dags/helpers.py': 'def dag(): pass\n' }, errors: [{ code: 'no-schedule', line: 1 }] },
  ],
});
