import nock from 'nock';
import { withDefaults } from '../../src/config/load.js';
import { notifySlack } from '../../src/ops/notify.js';

afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('Slack', () => {
  it('by default reads SLACK_WEBHOOK_URL: setting it is enough, as the README and .env.example say', async () => {
    const posted: unknown[] = [];
    nock('https://hooks.slack.example')
      .post('/services/T1/B1/x', (body: unknown) => posted.push(body) > 0)
      .reply(200, 'ok');
    const config = withDefaults({});
    expect(
      await notifySlack(config, 'Release 1.4.0 of store was approved', {
        SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T1/B1/x',
      }),
    ).toBe('sent');
    expect(posted).toEqual([{ text: 'Release 1.4.0 of store was approved' }]);
  });

  it('without the variable nothing is sent; a configured variable of another name is read instead', async () => {
    expect(await notifySlack(withDefaults({}), 'x', {})).toBe('not-configured');
    const config = withDefaults({ notify: { slack: { 'webhook-env': 'TEAM_SLACK' } } });
    expect(await notifySlack(config, 'x', { SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T1/B1/x' })).toBe('not-configured');
  });
});
