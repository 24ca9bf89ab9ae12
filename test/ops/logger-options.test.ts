/** LOG_FORMAT and SENTRY_DSN are honoured: pretty lines for people, JSON by default, errors to Sentry. */
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/ops/logger.js';

const sink = () => {
  const lines: string[] = [];
  return {
    lines,
    stream: new Writable({
      write: (chunk, _e, cb) => {
        lines.push(String(chunk));
        cb();
      },
    }),
  };
};
const settle = () => new Promise((r) => setTimeout(r, 300));

it('json (the default) writes one JSON object a line, credentials redacted', async () => {
  const out = sink();
  const { log } = await createLogger({ destination: out.stream });
  log.info({ token: 'ghs_secret' }, 'hello');
  await settle();
  const line = JSON.parse(out.lines.join('')) as { msg: string; token: string; name: string };
  expect(line).toMatchObject({ msg: 'hello', token: '[redacted]', name: 'shipshape' });
});

it("pretty writes a readable line through Probot's formatter, still redacted", async () => {
  const out = sink();
  const { log } = await createLogger({ format: 'pretty', destination: out.stream });
  log.info({ token: 'ghs_secret' }, 'hello');
  await settle();
  const text = out.lines.join('');
  expect(text).toMatch(/INFO.*hello/);
  expect(() => JSON.parse(text)).toThrow();
  expect(text).not.toContain('ghs_secret');
});

it('SENTRY_DSN: an error-level line reaches Sentry (a local Sentry endpoint here), an info line does not', async () => {
  const received: string[] = [];
  const sentry = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(`${req.url}\n${Buffer.concat(chunks).toString('utf8')}`);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => sentry.listen(0, '127.0.0.1', r));
  const { port } = sentry.address() as { port: number };
  try {
    const out = sink();
    const { log, flush } = await createLogger({ sentryDsn: `http://publickey@127.0.0.1:${port}/42`, destination: out.stream });
    log.info('nothing to report');
    log.error({ err: new Error('the check could not be written') }, 'job failed');
    await flush();
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^\/api\/42\/envelope\//);
    expect(received[0]).toContain('the check could not be written');
    expect(out.lines.join('')).toContain('job failed');
  } finally {
    sentry.close();
  }
});
