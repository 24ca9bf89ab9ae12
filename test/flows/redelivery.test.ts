import { failedDeliveries, type Delivery } from '../../src/flows/redelivery.js';

const d = (id: number, guid: string, status_code: number, minute: number): Delivery => ({
  id,
  guid,
  status_code,
  delivered_at: new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString(),
  redelivery: false,
  event: 'pull_request',
});

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
  expect(failedDeliveries(list, since).redeliver.map((x) => x.id)).toEqual([3]);
});

it('gives up on a delivery that failed maxAttempts times, and says so', () => {
  const since = Date.UTC(2026, 10, 25, 10, 0);
  const list = [d(1, 'poison', 500, 1), d(2, 'poison', 500, 2), d(3, 'poison', 500, 3), d(4, 'once', 500, 3)];
  const plan = failedDeliveries(list, since, 3);
  expect(plan.redeliver.map((x) => x.id)).toEqual([4]);
  expect(plan.givenUp.map((x) => x.id)).toEqual([3]);
  expect(failedDeliveries(list, since, 5).redeliver.map((x) => x.id)).toEqual([3, 4]);
});
