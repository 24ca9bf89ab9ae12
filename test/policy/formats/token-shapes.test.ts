/**
 * The well-known credential shapes, found anywhere and masked everywhere. Each is tried on the example
 * credentials vendors publish (none of them live) and on the near misses that must not match. A few
 * examples are assembled from two parts so this file does not itself look like a leaked token.
 */
import { TOKEN_SHAPES } from '../../../src/policy/formats/token-shapes.js';

/** GitHub's example token from its token-format announcement, as public scanners' tests use it. */
const GITHUB_EXAMPLE = ['ghp', '16C7e42F292c6912E7710c838347Ae178B4a'].join('_');
/** A revoked GitLab token a GitLab user posted for scanners' tests (sirwart/ripsecrets issue 62). */
const GITLAB_EXAMPLE = ['glpat', 'z_sxgtrfAxKr8q1TPY8Y'].join('-');
/** The example Google API key found throughout public scanners' tests. */
const GOOGLE_EXAMPLE = ['AIza', 'SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe'].join('');

/** Each shape that matches `text`, with what it matches. */
const matchesIn = (text: string): Array<[string, string[]]> =>
  TOKEN_SHAPES.flatMap((shape): Array<[string, string[]]> => {
    const found = text.match(shape.pattern);
    return found ? [[shape.name, [...found]]] : [];
  });

describe('token shapes', () => {
  it('are these, in this order', () => {
    expect(TOKEN_SHAPES.map((s) => s.name)).toEqual([
      'AWS access key id',
      'GitHub token',
      'GitLab token',
      'Slack token',
      'Slack webhook URL',
      'Google API key',
      'private key',
    ]);
  });

  it('are global patterns, so masking replaces every occurrence', () => {
    expect(TOKEN_SHAPES.every((s) => s.pattern.global)).toBe(true);
  });

  it.each([
    // Amazon's documented example access key id, in an .env line.
    ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AWS access key id', ['AKIAIOSFODNN7EXAMPLE']],
    [`token=${GITHUB_EXAMPLE}`, 'GitHub token', [GITHUB_EXAMPLE]],
    // Inside a URL's user-info, where a token often ends up.
    [`https://${GITHUB_EXAMPLE}@github.com/dbt-labs/dbt-utils.git`, 'GitHub token', [GITHUB_EXAMPLE]],
    [`GITLAB_TOKEN=${GITLAB_EXAMPLE}`, 'GitLab token', [GITLAB_EXAMPLE]],
    // Slack's "Posting messages using curl" tutorial.
    [
      '-H "Authorization: Bearer xoxb-not-a-real-token-this-will-not-work" -X POST https://slack.com/api/chat.postMessage',
      'Slack token',
      ['xoxb-not-a-real-token-this-will-not-work'],
    ],
    // Slack's incoming-webhooks documentation.
    [
      'curl -X POST -H \'Content-type: application/json\' --data \'{"text":"Hello, World!"}\' https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'Slack webhook URL',
      ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ],
    [`GOOGLE_API_KEY=${GOOGLE_EXAMPLE}`, 'Google API key', [GOOGLE_EXAMPLE]],
    // probot/probot test/fixtures/test-private-key.pem, line 1 (test/fixtures/realrepos/9-noise-fixtures-vendored).
    ['-----BEGIN RSA PRIVATE KEY-----', 'private key', ['-----BEGIN RSA PRIVATE KEY-----']],
    // The other private-key labels of PEM files (RFC 7468) and of OpenSSH and PGP keys.
    ['-----BEGIN PRIVATE KEY-----', 'private key', ['-----BEGIN PRIVATE KEY-----']],
    ['-----BEGIN EC PRIVATE KEY-----', 'private key', ['-----BEGIN EC PRIVATE KEY-----']],
    ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'private key', ['-----BEGIN ENCRYPTED PRIVATE KEY-----']],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'private key', ['-----BEGIN OPENSSH PRIVATE KEY-----']],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private key', ['-----BEGIN PGP PRIVATE KEY BLOCK-----']],
  ])('%s is one %s', (text, name, found) => {
    expect(matchesIn(text)).toEqual([[name, found]]);
  });

  it('finds every occurrence on a line', () => {
    expect(matchesIn(`a=${GITHUB_EXAMPLE} b=${GITHUB_EXAMPLE}`)).toEqual([['GitHub token', [GITHUB_EXAMPLE, GITHUB_EXAMPLE]]]);
  });

  it.each([
    // Amazon's example secret access key has no well-known shape (the secret-shapes format judges it by its key).
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    // An access key id with characters glued after it is not one (no word boundary).
    ['AKIAIOSFODNN7EXAMPLE1234'],
    // Too short after the prefix.
    ['ghp_16C7e42F292c'],
    // Public halves and certificates are not secrets.
    ['-----BEGIN PUBLIC KEY-----'],
    ['-----BEGIN CERTIFICATE-----'],
    ['-----BEGIN OPENSSH PUBLIC KEY-----'],
    // A webhook URL of another host.
    ['https://hooks.example.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    // References to where a token is, as the corpus's files write them.
    ["https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/ndp_dbt_core.git"],
    ['token: ${{ secrets.GITHUB_TOKEN }}'],
  ])('%s matches no shape', (text) => {
    expect(matchesIn(text)).toEqual([]);
  });

  it('stay linear on a megabyte of near misses', () => {
    const start = process.cpuUsage();
    const text = `${'ghp_'.repeat(100_000)}${'-----BEGIN '.repeat(50_000)}`;
    expect(matchesIn(text)).toEqual([]);
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});
