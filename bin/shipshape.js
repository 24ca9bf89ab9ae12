#!/usr/bin/env node
// The CLI entry: the compiled CLI bundled by esbuild into dist/bundle/ (by `npm run build`, which `npm ci`
// runs via `prepare`): one file per lazily loaded part instead of hundreds of modules, so it starts fast.
// Exit 3 with one line when Shipshape itself fails, whatever the failure: never 1, which means "error findings".
const crash = (err) => {
  process.stderr.write(
    `shipshape: internal error: ${String(err?.message ?? err).split('\n')[0]} (exit 3: Shipshape failed, nothing was decided)\n`,
  );
  process.exit(3);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

// `shipshape check | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  crash(err);
});

const { main } = await import('../dist/bundle/cli.js');
process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
