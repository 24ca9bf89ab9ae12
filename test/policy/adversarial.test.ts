/**
 * No input is a pattern, and no scan is worse than linear: each adversarial input (about 1 MB, or the
 * shapes that stalled the server before) is checked through the whole engine and must finish well within
 * a generous bound. The bound is loose on purpose, and it is CPU time, not wall time, so a busy shared
 * machine does not fail it; the inputs took minutes before.
 */
import { defaultConfig } from '../../src/config/load.js';
import { runPolicy } from '../../src/policy/engine.js';
import { extractFroms } from '../../src/policy/formats/dockerfile.js';
import { maskSecrets } from '../../src/policy/mask.js';
import { MemorySnapshot } from '../../src/core/files.js';
import { offlineFacts } from '../../src/policy/types.js';
import { nearlyOneMb, STALL_INPUTS } from '../helpers/stall-inputs.js';

const BOUND_MS = 2000;
const big = nearlyOneMb;
const { globKey, fromRepeated, distinctArgs, doublingArgs, dotenvSpaces, urlAts, deepYaml } = STALL_INPUTS;

/** CPU milliseconds spent by this process since `start` (see cpuNow). */
const cpuNow = () => process.cpuUsage();
const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

function timed(files: Record<string, string>, config = defaultConfig()) {
  const start = cpuNow();
  const result = runPolicy(new MemorySnapshot(files), config, offlineFacts('t'));
  return { ms: cpuMs(start), result };
}

describe('regular expressions over file content are linear (1 MB adversarial inputs)', () => {
  it.each([
    ['.env: A=a, a million spaces, b', '.env', dotenvSpaces.files['.env']],
    ['.env: a secret-named key with a million spaces before the value', 'prod.env', big('API_TOKEN=', ' ', 'x')],
    ['YAML: a key, a colon and a million spaces', 'config/settings.yml', big('SECRET_KEY:', ' ', 'x')],
    ['a million scheme starts without //', 'app.ini', big('', 'a:', '')],
    ['a million :// with no @', 'app.cfg', big('', 'a://', '')],
    ['one URL with a million @', 'app.conf', urlAts.files['app.conf']],
    ['a million env_var( without a closing quote', 'profiles.yml', big('p: "{{ env_var(\'', "a', ", '')],
    ['a million ?token= fragments', 'run.sh', big('curl "https://x.io/', '?token=&', '"')],
    ['requirements: a million spaces before a backslash', 'requirements.txt', big('requests', ' ', '\\')],
    ['workflow: uses: with a million spaces (not valid YAML)', '.github/workflows/x.yml', big('jobs: [\n  uses:', ' ', 'x')],
    ['Dockerfile: a million $ signs', 'Dockerfile', big('FROM ', '${', '')],
    ['YAML: `{{` nested half a million deep', 'dbt_project.yml', big('name: ', '{{', '')],
    ['YAML: `[` nested a million deep', 'packages.yml', deepYaml.files['packages.yml']],
    ['YAML: `- - - …` half a million compact sequences', 'profiles.yml', big('', '- ', 'x')],
  ])('%s', (_name, path, text) => {
    const { ms } = timed({ [path]: text });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('the masking function on 1 MB of URL-like text', () => {
    const start = cpuNow();
    maskSecrets(big('https://', 'a:b@', 'host/x'));
    maskSecrets(big('', 'x://y:z@', ''));
    expect(cpuMs(start)).toBeLessThan(BOUND_MS);
  });
});

describe('config and repository keys never become patterns (dashboards-versioned)', () => {
  it('a domain key `*a*a*a*a*a*a*a*a*a*a*a*a*b` and reporting/aaaa…(42)/d/r.pbit is fast, and matches nothing', () => {
    const { ms, result } = timed(globKey.files);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(
      result.findings
        .filter((f) => f.rule === 'dashboards-versioned')
        .map((f) => f.code)
        .sort(),
    ).toEqual(['no-report', 'report-not-deployed']);
  });

  it('a dashboard key with regex characters is matched literally, and require-version with a PR stays literal too', () => {
    const project =
      'name: s\nmodels:\n  core_dashboards_store:\n    dashboards:\n      "emp(.*)":\n        "a+b":\n          +enabled: true\n';
    const { result } = timed({ 'dbt_project.yml': project, 'reporting/emp(.*)/a+b/r.pbit': 'x', 'reporting/empX/aab/r.pbit': 'x' });
    expect(result.findings.filter((f) => f.rule === 'dashboards-versioned').map((f) => `${f.code} ${f.path}`)).toEqual([
      'report-not-deployed reporting/empX/aab/r.pbit',
    ]);
  });
});

describe('Dockerfile argument expansion is bounded', () => {
  it('`FROM ${A}` 20,000 times', () => {
    const start = cpuNow();
    const froms = extractFroms(fromRepeated.files.Dockerfile);
    expect(cpuMs(start)).toBeLessThan(3 * BOUND_MS); // see below
    expect(froms.length).toBe(20_000);
    expect(froms[0]).toMatchObject({ kind: 'image', raw: 'python:3.12' });
  });

  it('40,000 distinct ARGs, and FROM lines using them', () => {
    const start = cpuNow();
    const froms = extractFroms(distinctArgs.files.Dockerfile);
    // About 0.3 s of CPU in plain Node (it took 338 s before); dockerfile-ast runs several times slower
    // inside jest's module sandbox, hence the wider bound here.
    expect(cpuMs(start)).toBeLessThan(3 * BOUND_MS);
    expect(froms.map((f) => f.raw)).toEqual(['img39999:1', 'img0:1']);
  });

  it('doubling ARGs cannot blow up: an expansion over 1 KB stops and is reported as unknown', () => {
    const start = cpuNow();
    const froms = extractFroms(doublingArgs.files.Dockerfile);
    expect(cpuMs(start)).toBeLessThan(BOUND_MS);
    expect(froms[0]!.kind).toBe('unresolved');
  });
});
