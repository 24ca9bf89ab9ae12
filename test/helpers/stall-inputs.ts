/**
 * The hostile inputs that stalled the server (the event loop blocked for seconds to minutes) before every
 * scan was made linear, argument expansion bounded and checks moved off the event loop. Each is the files
 * one pull request adds. The unit tests (test/policy/adversarial.test.ts), the stall e2e test and
 * `npm run bench`'s adversarial line all read them from here.
 */
const MB = 1_000_000;

/** `head`, `filler` repeated, `tail`: just under the 1 MB read limit, so the text is really scanned. */
export const nearlyOneMb = (head: string, filler: string, tail: string) =>
  head + filler.repeat(Math.floor((MB - 64 - head.length - tail.length) / filler.length)) + tail;

export interface StallInput {
  /** What it is, as a reader of the bench line needs it. */
  name: string;
  /** What it cost on the server before the fixes, where it was measured. */
  before?: string;
  files: Record<string, string>;
}

export const STALL_INPUTS = {
  globKey: {
    name: 'dbt_project.yml key `*a*a…*b`, reporting/a×42/d/r.pbit',
    before: '80 s',
    files: {
      'dbt_project.yml':
        'name: s\nmodels:\n  core_dashboards_store:\n    dashboards:\n      "*a*a*a*a*a*a*a*a*a*a*a*a*b":\n        d:\n          +enabled: true\n',
      [`reporting/${'a'.repeat(42)}/d/r.pbit`]: 'PK',
    },
  },
  fromRepeated: {
    name: '`FROM ${A}` ×20,000',
    before: '68 s',
    files: { Dockerfile: `ARG A=python:3.12\n${'FROM ${A}\n'.repeat(20_000)}` },
  },
  distinctArgs: {
    name: '40,000 distinct ARGs',
    before: '338 s',
    files: {
      Dockerfile: `${Array.from({ length: 40_000 }, (_, i) => `ARG A${i}=img${i}:1`).join('\n')}\nFROM \${A39999}\nFROM \${A0}\n`,
    },
  },
  chainedArgs: {
    name: '40,000 ARGs, each the one before',
    files: { Dockerfile: `${Array.from({ length: 40_000 }, (_, i) => `ARG A${i}=\${A${i - 1}}\n`).join('')}FROM \${A39999}\n` },
  },
  doublingArgs: {
    name: 'ARG doubling 40 times (2^40 characters)',
    files: {
      Dockerfile: `ARG A0=x\n${Array.from({ length: 40 }, (_, i) => `ARG A${i + 1}=\${A${i}}\${A${i}}\n`).join('')}FROM \${A40}\n`,
    },
  },
  dotenvSpaces: {
    name: '.env `A=a` + 1,000,000 spaces + `b`',
    before: '5 min 55 s',
    files: { '.env': `A=a${' '.repeat(1_000_000)}b\n` },
  },
  urlAts: {
    name: 'one URL with a million `@` (1 MB)',
    files: { 'app.conf': nearlyOneMb('postgres://u:', '@', 'x') },
  },
  deepYaml: {
    name: 'packages.yml `[` nested a million deep',
    files: { 'packages.yml': nearlyOneMb('packages: ', '[', '') },
  },
} satisfies Record<string, StallInput>;
