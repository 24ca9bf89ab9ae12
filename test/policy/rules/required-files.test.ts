import { requiredFiles } from '../../../src/policy/rules/required-files.js';
import { testRule } from '../../helpers/rule-tester.js';

const DAG = 'from airflow import DAG\nwith DAG("store", schedule="0 5 * * *") as dag:\n    pass\n';
const base = {
  Dockerfile: 'FROM python:3.11\n',
  'README.md': '# s\n',
  '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
  'dbt_project.yml': 'name: store\nversion: 1.0.0\n',
};

testRule(requiredFiles, {
  valid: [
    { name: 'the defaults and an Airflow DAG', files: { ...base, 'dags/store.py': DAG } },
    {
      name: 'files at any depth and a scheduled workflow',
      files: {
        'docker/Dockerfile': 'FROM x:1\n',
        'docs/README.md': '',
        '.github/workflows/nightly.yaml': 'on:\n  schedule:\n    - cron: "0 5 * * *"\njobs: {}\n',
      },
    },
    {
      name: 'readme.md satisfies README.md (Sciance-Inc/csspi.dashboards_store.snowflake readme.md)',
      files: {
        Dockerfile: base.Dockerfile,
        '.github/workflows/ci.yml': base['.github/workflows/ci.yml'],
        'readme.md': '# csspi\n',
        'dags/store.py': DAG,
      },
    },
    {
      name: 'README, Readme.rst: any README-like name',
      files: { Dockerfile: '', '.github/workflows/ci.yml': 'on: push\n', 'docs/Readme.rst': 'x', 'dags/store.py': DAG },
    },
    {
      name: 'Dockerfile is met by any name the Dockerfile rules read, any case, any folder (dockerfile, Dockerfile.prod, app.Dockerfile)',
      files: { 'deploy/dockerfile': 'FROM x:1\n', 'README.md': '', '.github/workflows/ci.yml': 'on: push\n', 'dags/d.py': DAG },
    },
    {
      name: 'Dockerfile.prod and app.Dockerfile meet Dockerfile too',
      files: { 'Dockerfile.prod': 'FROM x:1\n', 'services/app.Dockerfile': 'FROM x:1\n', 'README.md': '', 'dags/d.py': DAG },
      config: { 'required-files': ['Dockerfile', 'services/Dockerfile'] },
    },
    {
      name: 'an entry with a folder: a README-like or Dockerfile name in a folder of that name, at any depth',
      files: { 'store/docs/readme.rst': '', 'store/docker/DOCKERFILE': '', 'dags/d.py': DAG },
      config: { 'required-files': ['docs/README.md', 'docker/Dockerfile', '/store/docs/README'] },
    },
    { name: 'a Kubernetes CronJob', files: { ...base, 'k8s/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\n' } },
    {
      name: 'a repository that is not a store (no dbt_project.yml) is not asked for a schedule',
      files: { Dockerfile: base.Dockerfile, 'README.md': '# svc\n', '.github/workflows/ci.yml': 'on: push\n' },
    },
    {
      name: 'configured globs',
      files: {
        Makefile: '',
        'etl/dags/run_dag.py': 'import airflow\nfrom airflow.decorators import dag\n@dag(schedule="@daily")\ndef run(): ...\n',
      },
      config: { 'required-files': ['Makefile'] },
    },
  ],
  invalid: [
    {
      name: 'nothing required is there',
      files: { 'models/a.sql': 'select 1', 'dbt_project.yml': base['dbt_project.yml'] },
      errors: [
        { line: 1, code: 'missing', message: /`Dockerfile`/ },
        { line: 1, code: 'missing', message: /README\.md/ },
        { line: 1, code: 'missing', message: /\.github\/workflows/ },
        { line: 1, code: 'no-schedule', severity: 'warning' },
      ],
    },
    {
      name: 'a missing file names no file (the line is its setting in shipshape.yml)',
      files: { '.github/shipshape.yml': 'required-files:\n  - Dockerfile\n  - docs/RUNBOOK.md\n', Dockerfile: '', 'dags/d.py': DAG },
      config: { 'required-files': ['Dockerfile', 'docs/RUNBOOK.md'] },
      errors: [{ path: null, line: 3, code: 'missing' }],
    },
    {
      name: 'without shipshape.yml, a missing file is about the repository, not .github/shipshape.yml',
      files: { Dockerfile: '', 'README.md': '', 'dags/d.py': DAG },
      errors: [{ path: null, line: 1, code: 'missing', message: /\.github\/workflows/ }],
    },
    {
      name: 'ignored and vendored files never satisfy required-files',
      files: {
        'node_modules/x/Dockerfile': 'FROM x:1\n',
        'vendor/README.md': '',
        '.github/workflows/ci.yml': 'on: push\n',
        'dags/d.py': DAG,
      },
      config: { ignore: ['vendor/'] },
      errors: [
        { path: null, line: 1, code: 'missing', message: /Dockerfile/ },
        { path: null, line: 1, code: 'missing', message: /README/ },
      ],
    },
    {
      name: 'a template never satisfies required-files (core.dashboards_store tooling/template)',
      files: {
        "tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/.github/workflows/build_docker.yml": 'on: push\n',
        "tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/Dockerfile": 'FROM x:1\n',
        'README.md': '',
        'dags/d.py': DAG,
      },
      errors: [
        { path: null, line: 1, code: 'missing', message: /Dockerfile/ },
        { path: null, line: 1, code: 'missing', message: /workflows/ },
      ],
    },
    {
      name: 'each finding says where it looked; other globs match case-sensitively, a leading / only at the top',
      files: {
        'mydocs/README.md': '',
        'docker/Dockerfile': 'FROM x:1\n',
        makefile: '',
        'ci/.github/workflows/ci.yml': 'on: push\n',
        'dags/d.py': DAG,
      },
      config: { 'required-files': ['docs/README.md', '/Dockerfile', 'Makefile', '/.github/workflows/*.yml'] },
      errors: [
        {
          path: null,
          line: 1,
          code: 'missing',
          message:
            'no file matches `docs/README.md` (looked for `README`, `readme.md`, `Readme.rst`… in any case, in a `docs/` folder at any depth), which the production checklist requires',
        },
        {
          path: null,
          line: 1,
          code: 'missing',
          message:
            "no file matches `/Dockerfile` (looked for `Dockerfile`, `dockerfile`, `Dockerfile.*`, `*.Dockerfile`… in any case, only at the repository's top), which the production checklist requires",
        },
        {
          path: null,
          line: 1,
          code: 'missing',
          message: 'no file matches `Makefile` (looked at any depth), which the production checklist requires',
        },
        {
          path: null,
          line: 1,
          code: 'missing',
          message:
            "no file matches `/.github/workflows/*.yml` (looked only at the repository's top), which the production checklist requires",
        },
      ],
    },
    {
      name: 'a python file named dag that is not an Airflow DAG',
      files: { ...base, 'dags/helpers.py': 'def dag(): pass\n' },
      errors: [{ code: 'no-schedule', line: 1 }],
    },
  ],
});
