/**
 * Findings about the repository as a whole name no file that does not exist (a repository without
 * shipshape.yml used to get findings at `.github/shipshape.yml:1`): the check run lists them in its
 * summary and annotates shipshape.yml only when it exists; the CLI prints `"file": null`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built } from '../helpers/paths.js';
import { defaultConfig, mergeLayers, withDefaults } from '../../src/config/load.js';
import { runPolicy } from '../../src/policy/engine.js';
import { renderPolicyResult } from '../../src/policy/report.js';
import { MemorySnapshot } from '../../src/core/files.js';
import { offlineFacts } from '../../src/policy/types.js';

const store = { 'packages.yml': 'packages: []\n', 'dags/d.py': 'from airflow import DAG\nDAG("x", schedule="@daily")\n' };

describe('check run', () => {
  it('without shipshape.yml: in the summary, no annotation on a file that does not exist', () => {
    const result = runPolicy(new MemorySnapshot(store), defaultConfig(), offlineFacts('t'));
    const output = renderPolicyResult(result, defaultConfig());
    expect(result.findings.filter((f) => f.rule === 'required-files').every((f) => f.path === null)).toBe(true);
    expect(output.annotations).toEqual([]);
    expect(output.summary).toMatch(/- ❌ the repository \(required-files\): no file matches `Dockerfile`/);
  });

  it('with shipshape.yml: annotated on the line of the setting', () => {
    const files = { ...store, '.github/shipshape.yml': 'required-files:\n  - Dockerfile\n  - README.md\n' };
    const config = withDefaults(mergeLayers({ 'required-files': ['Dockerfile', 'README.md'] }));
    const output = renderPolicyResult(runPolicy(new MemorySnapshot(files), config, offlineFacts('t')), config);
    expect(output.annotations.map((a) => `${a.path}:${a.start_line}`)).toEqual(['.github/shipshape.yml:2', '.github/shipshape.yml:3']);
  });
});

describe('CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-repo-findings-'));
    mkdirSync(join(dir, 'dags'));
    for (const [p, text] of Object.entries(store)) writeFileSync(join(dir, p), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The built CLI, as users run it (its modules load lazily, which jest's module cache does not follow).
  const run = (format: string) => {
    const r = spawnSync(process.execPath, [built('bin/shipshape.js'), 'check', dir, '--format', format], { encoding: 'utf8' });
    return Promise.resolve({ code: r.status, out: r.stdout.replace(/\n$/, '').split('\n') });
  };

  it('json: "file": null and "line": null', async () => {
    const { code, out } = await run('json');
    expect(code).toBe(1);
    const { findings } = JSON.parse(out.join('\n')) as { findings: Array<Record<string, unknown>> };
    expect(findings.filter((f) => f.rule === 'required-files')).toEqual(
      expect.arrayContaining([
        { rule: 'required-files', severity: 'error', file: null, line: null, message: expect.stringMatching(/Dockerfile/) },
      ]),
    );
    expect(JSON.stringify(findings)).not.toContain('shipshape.yml');
  });

  it('github: an ::error line without file=; text: (repository)', async () => {
    const github = (await run('github')).out.filter((l) => l.includes('required-files'));
    expect(github[0]).toMatch(/^::error title=required-files::no file matches/);
    const text = (await run('text')).out.filter((l) => l.includes('(required-files)'));
    expect(text[0]).toMatch(/^\(repository\) {2}error {2}no file matches/);
  });
});
