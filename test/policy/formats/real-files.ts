/**
 * Shared by the format tests. Their inputs are real files — the hand-labelled corpus (../shared/corpus),
 * test/fixtures/realrepos, this repository's example store, or a public file named beside its case —
 * copied inline, so the tests run without ../shared. `checkVerbatim` proves that each copy naming its
 * corpus file, fixture or own file is that file's beginning, byte for byte (the corpus part is skipped,
 * with a visible note, where ../shared is absent). Variants (CRLF, a key written twice…) name no file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeWithShared, repoRoot, sharedDir } from '../../helpers/shared.js';

/** A file's lines, each ending in `\n`: line N of the text is the Nth argument. */
export const text = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
/** The same for a file whose last line has no newline (as many real files end). */
export const unterminated = (...lines: string[]): string => lines.join('\n');
/** The same text with Windows (CRLF) line endings. */
export const crlf = (lf: string): string => lf.replaceAll('\n', '\r\n');

export interface Copied {
  name: string;
  /** The text is the beginning of this file of ../shared/corpus (its name there gives repository and path). */
  corpus?: string;
  /** The text is the beginning of this file under test/fixtures/realrepos (its header names the source). */
  fixture?: string;
  /** The text is the beginning of this file of this repository (its own example store, its README). */
  own?: string;
  text: string;
}

const ownText = (path: string) => readFileSync(resolve(repoRoot, path), 'utf8');
const fixtureText = (path: string) => ownText(`test/fixtures/realrepos/${path}`);
/** A file of ../shared/corpus by its name in LABELS.tsv (`dbt/001__…`); call it only under `describeWithShared`. */
export const corpusText = (file: string): string => readFileSync(resolve(sharedDir, 'corpus', file), 'utf8');

/**
 * The corpus files of one folder with the lines LABELS.tsv flags in each (none for a CLEAN file); call it
 * only under `describeWithShared`.
 */
export function labelledLines(folder: 'dbt' | 'python' | 'actions'): Array<[file: string, lines: number[]]> {
  const byFile = new Map<string, number[]>();
  for (const row of corpusText('LABELS.tsv').trim().split('\n').slice(1)) {
    const [file = '', , line = '0', verdict] = row.split('\t');
    if (!file.startsWith(`${folder}/`)) continue;
    const lines = byFile.get(file) ?? [];
    if (verdict !== 'CLEAN') lines.push(Number(line));
    byFile.set(file, lines);
  }
  return [...byFile.entries()];
}

/** Each case that names a corpus file, a fixture or a file of this repository holds that file's first lines exactly. */
export function checkVerbatim(cases: readonly Copied[]): void {
  const fixtures = cases.flatMap((c) => (c.fixture ? [[c.fixture, c.text] as const] : []));
  const own = cases.flatMap((c) => (c.own ? [[c.own, c.text] as const] : []));
  const corpus = cases.flatMap((c) => (c.corpus ? [[c.corpus, c.text] as const] : []));
  if (fixtures.length)
    describe('the inline copies are verbatim from test/fixtures/realrepos', () => {
      it.each(fixtures)('%s', (path, copy) => {
        expect(fixtureText(path).slice(0, copy.length)).toBe(copy);
      });
    });
  if (own.length)
    describe('the inline copies are verbatim from this repository', () => {
      it.each(own)('%s', (path, copy) => {
        expect(ownText(path).slice(0, copy.length)).toBe(copy);
      });
    });
  if (corpus.length)
    describeWithShared('the inline copies are verbatim from ../shared/corpus', () => {
      it.each(corpus)('%s', (file, copy) => {
        expect(corpusText(file).slice(0, copy.length)).toBe(copy);
      });
    });
}

/** The cookiecutter sample profile's dev target, to its password (realrepos fixture `2-core-cookiecutter-template`). */
export const PROFILES_SAMPLE_DEV = text(
  "# source: Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/profiles-sample.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed to the dev target)",
  "{{ cookiecutter.css_short_name + '_dashboards_store' }}:",
  '  target: dev',
  '  outputs:',
  '    # The target to be used by default, to work on the database without tampering with neither the production data, nor the others schemas',
  '    dev:',
  '      type: fabric',
  '      driver: "ODBC Driver 18 for SQL Server"',
  '      server: {{ cookiecutter.server_ip }}',
  '      port: {{ cookiecutter.server_port }}',
  '      database: store_dev',
  '      schema: {{ cookiecutter.author }}',
  '      user: {{ cookiecutter.author }}',
  '      password: dontLookAtMeImSecret',
);

/** The nightly Dockerfile's head, to its ENV lines (realrepos fixture `1c-core-nightly-subfolder-project`). */
export const NIGHTLY_DOCKERFILE_HEAD = text(
  '# source: Sciance-Inc/core.dashboards_store tooling/nightly/docker/Dockerfile@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed)',
  'FROM ghcr.io/sciance-inc/core.dashboards_store_depechecode:sqlserver',
  '',
  '# Fetch the core version to run the integration tests against',
  'ARG CORE_VERSION',
  'ARG TARGET',
  '',
  '# Configure the build parameters    ',
  'ENV DBT_CORE_VERSION=$CORE_VERSION',
  'ENV DBT_TARGET=$TARGET',
);

/** The nightly profiles.yml, to the dev target's password (realrepos fixture `1c-core-nightly-subfolder-project`). */
export const NIGHTLY_PROFILES_DEV = text(
  '# source: Sciance-Inc/core.dashboards_store tooling/nightly/docker/profiles.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed to two of the three targets: dev and stable; rc removed)',
  'etl_profile:',
  '  target: "{{ env_var(\'DBT_TARGET\') }}"',
  '  outputs:',
  '    dev:',
  '      type: fabric',
  '      driver: "ODBC Driver 17 for SQL Server"',
  '      server: "{{ env_var(\'DBT_SERVER\') }}"',
  '      port: "{{ env_var(\'DBT_PORT\') | int }}"',
  '      database: "store_nightly"',
  '      schema: dev',
  '      user: "{{ env_var(\'DBT_USERNAME\') }}"',
  '      password: "{{ env_var(\'DBT_PASSWORD\') }}"',
);
