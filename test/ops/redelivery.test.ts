import { failedDeliveries, type Delivery } from '../../src/ops/redelivery.js';

const d = (id: number, guid: string, status_code: number, minute: number): Delivery => ({ id, guid, status_code, delivered_at: new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString(), redelivery: false, event: 'pull_request' });

it('redelivers, per delivery, the newest attempt of those that never succeeded within the window', () => {
  const since = Date.UTC(2026, 10, 25, 10, 5);
  const list = [
    d(1, 'ok', 200, 10),
    d(2, 'down', 0, 10),
    d(3, 'down', 502, 12),
    d(4, 'retried-ok', 500, 10),
    d(5, 'retried-ok', 202, 11),
    d(6, 'too-old', 500, 1),
  ];
  expect(failedDeliveries(list, since).map((x) => x.id)).toEqual([3]);
});
