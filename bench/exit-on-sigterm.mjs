// Run a server entry so that SIGTERM ends it through process.exit, which lets `node --cpu-prof` write its profile.
process.once('SIGTERM', () => process.exit(0));
await import(process.env.BENCH_ENTRY);
