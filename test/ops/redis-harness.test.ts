import { Redis } from 'ioredis';
import { describeWithRedis, startRedis } from '../helpers/redis.js';

describeWithRedis('the test Redis', () => {
  it('starts on a free loopback port, answers, and stops', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
    await redis.stop();
  });
});
