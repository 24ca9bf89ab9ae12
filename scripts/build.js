#!/usr/bin/env node
// The one build: TypeScript from src/ into <root>/dist/, then the CLI bundled by esbuild into
// <root>/dist/bundle/ (one file per lazily loaded part, so `shipshape` starts fast), and the launcher and
// package.json beside it so `<root>/bin/shipshape.js` runs that build. `npm run build` builds into the
// checkout; the tests build once into a folder of their own (test/build-once.js), never into the dist/
// that a person's `npx shipshape` is reading.
//   node scripts/build.js [ROOT]   (default: the checkout)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, stop as stopEsbuild } from 'esbuild';

const checkout = resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);

/** Build into `root` (dist/, and bin/ + package.json when it is not the checkout); resolves when done. */
export async function build(root = checkout) {
  const dist = join(root, 'dist');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(checkout, 'tsconfig.build.json'), '--outDir', dist], {
    cwd: checkout,
    stdio: 'inherit',
  });
  rmSync(join(dist, 'bundle'), { recursive: true, force: true });
  await esbuild({
    entryPoints: [join(dist, 'cli.js')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: join(dist, 'bundle'),
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(); ESM output has none unless given one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  // esbuild's service process would keep the caller (jest's globalSetup) alive after the build.
  await stopEsbuild();
  if (root !== checkout) {
    mkdirSync(join(root, 'bin'), { recursive: true });
    copyFileSync(join(checkout, 'bin/shipshape.js'), join(root, 'bin/shipshape.js'));
    copyFileSync(join(checkout, 'package.json'), join(root, 'package.json'));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build(process.argv[2] ? resolve(process.argv[2]) : checkout);
}
