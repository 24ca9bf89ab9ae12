/**
 * CLI start-up: `shipshape check` on the example store, as a user runs it (a fresh `node` each time),
 * median of N runs, wall and CPU time. Beside it, the same compiled code loaded as separate modules
 * (dist/cli.js, as the CLI started before it was bundled), measured in the same run on the same machine.
 * Run alone with `npx tsx bench/cli.ts` (after `npm run build`); `npm run bench` prints its line too.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 21);
const TARGET_MS = 300;
const example = resolve(repoRoot, 'examples/css42.dashboards_store');

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

/** Runs the variants in turn, run after run, so a busy machine weighs on each alike. */
function measure(variants: Record<string, string[]>): Record<string, { wall: number; cpu: number }> {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { walls: [] as number[], cpus: [] as number[] }]));
  for (const args of Object.values(variants)) spawnSync(process.execPath, args, { cwd: repoRoot }); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(variants)) {
      const cpu0 = childrenCpuMs();
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
      samples[name]!.walls.push(performance.now() - t0);
      samples[name]!.cpus.push(childrenCpuMs() - cpu0);
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { wall: median(v.walls), cpu: median(v.cpus) }]));
}

export function cliStartupLine(): string {
  const m = measure({
    bundled: [resolve(repoRoot, 'bin/shipshape.js'), 'check', example],
    modules: [
      '--input-type=module',
      '-e',
      "const { main } = await import('./dist/cli.js'); process.exitCode = await main(process.argv.slice(1), { out() {}, err() {} });",
      'check',
      example,
    ],
    node: ['-e', '0'],
  });
  const { bundled, modules, node } = m as Record<'bundled' | 'modules' | 'node', { wall: number; cpu: number }>;
  return (
    `CLI start-up, \`shipshape check examples/css42.dashboards_store\`, median of ${RUNS} runs: ${bundled.wall.toFixed(0)} ms wall, ${bundled.cpu.toFixed(0)} ms CPU ` +
    `(target < ${TARGET_MS} ms: ${bundled.wall < TARGET_MS ? 'met' : 'NOT met'}); loaded as separate modules (before): ${modules.wall.toFixed(0)} ms wall, ${modules.cpu.toFixed(0)} ms CPU; ` +
    `\`node -e 0\` alone: ${node.wall.toFixed(0)} ms wall, ${node.cpu.toFixed(0)} ms CPU`
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(cliStartupLine());
