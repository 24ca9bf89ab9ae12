#!/usr/bin/env node
// The CLI entry: the compiled engine in dist/ (built by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli.js';

// `shipshape check | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
