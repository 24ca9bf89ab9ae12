/**
 * The Dockerfile builds, proven without a Docker daemon: each stage's WORKDIR, ENV, COPY and RUN are
 * replayed in a temporary folder (one root per stage) from a clean copy of the tree (the files git
 * tracks, as a fresh clone has them), then the runtime stage's files are started as its CMD says, with
 * only production dependencies, and must answer /healthz and /readyz against the simulated GitHub.
 * RUN uses this machine's node and npm, offline-first from the local npm cache.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { GitHubModel } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import { repoRoot } from '../helpers/shared.js';
import { freePort, testPrivateKey } from '../helpers/server.js';

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd?: string[];
}

const work = mkdtempSync(join(tmpdir(), 'shipshape-docker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The build context: the tracked files only, as a fresh clone has them. */
function cleanContext(): string {
  const context = join(work, 'context');
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(context, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(context, file));
  }
  return context;
}

const inStage = (stage: Stage, path: string) => join(stage.root, path.startsWith('/') ? path : join(stage.workdir, path));

function copy(from: string, sources: string[], stage: Stage, dest: string): void {
  const target = inStage(stage, dest);
  const intoFolder = dest.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const src = join(from, source);
    if (!existsSync(src)) throw new Error(`COPY ${source}: not found in ${from === work ? 'the context' : 'the stage'}`);
    if (statSync(src).isDirectory()) cpSync(src, target, { recursive: true });
    else {
      const to = intoFolder ? join(target, basename(source)) : target;
      mkdirSync(dirname(to), { recursive: true });
      cpSync(src, to);
    }
  }
}

function replay(dockerfile: string, context: string): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    const flags = Object.fromEntries(
      ('getFlags' in instruction
        ? (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> }).getFlags()
        : []
      ).map((f) => [f.getName(), f.getValue()]),
    );
    if (keyword === 'FROM') {
      const name = args[2] ?? `stage-${stages.size}`;
      stage = { name, root: join(work, 'stages', name), workdir: '/', env: {} };
      mkdirSync(stage.root, { recursive: true });
      stages.set(name, stage);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    if (keyword === 'WORKDIR') {
      stage.workdir = args[0]!.startsWith('/') ? args[0]! : join(stage.workdir, args[0]!);
      mkdirSync(inStage(stage, '.'), { recursive: true });
    } else if (keyword === 'ENV') {
      for (const pair of args) {
        const [key, ...value] = pair.split('=');
        stage.env[key!] = value.join('=');
      }
    } else if (keyword === 'COPY') {
      const from = flags.from ? stages.get(flags.from)?.root : context;
      if (!from) throw new Error(`COPY --from=${flags.from}: no such stage`);
      const sources = args.slice(0, -1).map((s) => (flags.from ? s.replace(/^\//, '') : s));
      copy(from, sources, stage, args[args.length - 1]!);
    } else if (keyword === 'RUN') {
      execFileSync('sh', ['-c', args.join(' ')], {
        cwd: inStage(stage, '.'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          npm_config_prefer_offline: 'true',
          npm_config_update_notifier: 'false',
          ...stage.env,
        },
        stdio: 'pipe',
        timeout: 300_000,
      });
    } else if (keyword === 'CMD') {
      stage.cmd = JSON.parse(args.join(' ')) as string[];
    }
  }
  return stages;
}

it('replays the Dockerfile and the runtime stage serves /healthz and /readyz with production dependencies only', async () => {
  const context = cleanContext();
  const stages = replay(readFileSync(join(context, 'Dockerfile'), 'utf8'), context);
  const runtime = [...stages.values()].pop()!;
  const app = inStage(runtime, '.');
  // Only production dependencies, and no sources: the compiled app and what it needs.
  expect(existsSync(join(app, 'node_modules/probot'))).toBe(true);
  expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
  expect(existsSync(join(app, 'node_modules/jest'))).toBe(false);
  expect(existsSync(join(app, 'src'))).toBe(false);
  // The simulator and the demo are development tools: nothing of theirs is in the image.
  expect(existsSync(join(app, 'dist/sim'))).toBe(false);
  expect(existsSync(join(app, 'dist/demo'))).toBe(false);
  expect(existsSync(join(app, 'sim'))).toBe(false);
  expect(runtime.cmd).toEqual(['node', 'dist/main.js']);

  const sim = await new GitHubSimulator(new GitHubModel(), { appId: 1, privateKeyPem: testPrivateKey }).start();
  const port = await freePort();
  const child = spawn(process.execPath, runtime.cmd!.slice(1), {
    cwd: app,
    env: {
      PATH: process.env.PATH,
      ...runtime.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_ID: '1',
      PRIVATE_KEY: testPrivateKey,
      WEBHOOK_SECRET: 'replay',
      GHE_HOST: sim.host,
      GHE_PROTOCOL: 'http',
      REDELIVERY_INTERVAL_MINUTES: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  try {
    const get = async (path: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
        } catch (err) {
          if (child.exitCode !== null || Date.now() > deadline)
            throw new Error(`the runtime stage did not serve ${path}: ${logs.join('')}`, { cause: err });
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    expect(await get('/healthz')).toBe(200);
    expect(await get('/readyz')).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await sim.stop();
  }
}, 420_000);
