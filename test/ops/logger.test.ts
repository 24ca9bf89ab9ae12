import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACTED_PATHS } from '../../src/ops/logger.js';

it('redacts tokens and authorization headers from JSON logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _e, cb) => {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  log.info(
    {
      token: 'ghs_abc',
      req: { headers: { authorization: 'token ghs_abc', 'x-hub-signature-256': 'sha256=1' } },
      request: { headers: { authorization: 'bearer x' } },
    },
    'hello',
  );
  const out = lines.join('');
  expect(JSON.parse(out).msg).toBe('hello');
  expect(out).not.toMatch(/ghs_abc|sha256=1|bearer x/);
});
