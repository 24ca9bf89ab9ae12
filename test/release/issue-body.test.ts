import { createHmac } from 'node:crypto';
import { issueTitle, parseState, refreshIssueBody, renderIssueBody, tickedItems, type IssueContent } from '../../src/release/issue-body.js';
import { newReleaseState } from '../../src/release/state.js';

const SECRET = 'test-secret';
const SEAL = { keys: SECRET, repo: 'css42/store', issue: 7 };
const state = newReleaseState({ version: '1.4.0', tag: 'v1.4.0', sha: 'a'.repeat(40), tool: 'css42 store', prerelease: false });
const content: IssueContent = {
  purpose: 'Adds the overtime dashboard.',
  notes: [
    { number: 12, title: 'Overtime dashboard', author: 'ana', kind: 'pull request', labels: ['feature'] },
    { number: 9, title: 'Wrong totals', kind: 'issue', labels: ['bug'] },
    { number: 13, title: 'Bump dbt', kind: 'pull request', labels: [] },
  ],
  previousTag: 'v1.3.0',
  links: { checklist: 'https://example.org/checklist', report: '' },
  environments: ['staging', 'production'],
  doi: true,
  extraChecklist: ['Announce in #data'],
};

it('renders title, purpose, notes grouped by label, links and the full checklist', () => {
  expect(issueTitle(state)).toBe('Release version 1.4.0 of css42 store');
  const body = renderIssueBody(state, content, SEAL);
  expect(body).toContain('Adds the overtime dashboard.');
  expect(body).toMatch(
    /Merged or closed since `v1\.3\.0`:[\s\S]*### bug\n\n- #9 Wrong totals[\s\S]*### feature\n\n- #12 Overtime dashboard \(@ana\)[\s\S]*### Pull requests\n\n- #13 Bump dbt/,
  );
  expect(body).toContain('- Release checklist: https://example.org/checklist');
  for (const item of [
    'Release notes reviewed',
    'User-facing documentation updated',
    'Backups taken before the release',
    'Upgrade procedures written for dependency updates',
    'Reserve a DOI in Zenodo and add it to the changelog',
    'Policy checks green on the tag',
    'Approved by the service owner',
    'Deployed to staging',
    'Verified on staging',
    'Deployed to production',
    'Verified on production',
    'Published',
    'Announce in #data',
  ]) {
    expect(body).toContain(`- [ ] ${item} <!-- item:`);
  }
});

it('round-trips the state through the body', () => {
  const s = { ...state, approval: { by: 'olivia', at: 'now' } };
  expect(parseState(renderIssueBody(s, content, SEAL), SEAL)).toEqual(s);
  expect(parseState('no marker here', SEAL)).toBeUndefined();
});

it('detects a hand-edited state (forged approval) and a wrong secret', () => {
  const body = renderIssueBody(state, content, SEAL);
  const forged = body.replace('"deployments":{}', '"approval":{"by":"mallory","at":"now"},"deployments":{}');
  expect(forged).not.toBe(body);
  expect(parseState(forged, SEAL)).toBe('tampered');
  expect(parseState(body, { ...SEAL, keys: 'another-secret' })).toBe('tampered');
  expect(parseState('<!-- shipshape:release {not json} -->', SEAL)).toBe('tampered');
});

it('a marker value containing --> cannot end the comment early', () => {
  const tricky = { ...state, rejection: { by: 'o', at: 'now', reason: 'see --> here' } };
  const body = renderIssueBody(tricky, content, SEAL);
  expect(parseState(body, SEAL)).toEqual(tricky);
});

it("refresh keeps people's ticks and edits, ticks what the app verified", () => {
  const body = renderIssueBody(state, content, SEAL)
    .replace('- [ ] Backups taken before the release', '- [x] Backups taken before the release')
    .replace('Adds the overtime dashboard.', 'Adds the overtime dashboard (edited).');
  const approved = { ...state, approval: { by: 'olivia', at: 'now' }, policyGreen: true };
  const refreshed = refreshIssueBody(body, approved, content, SEAL);
  expect(tickedItems(refreshed)).toEqual(new Set(['backups', 'policy', 'approval']));
  expect(refreshed).toContain('(edited)');
  expect(parseState(refreshed, SEAL)).toEqual(approved);
  expect(refreshed).toContain('Approval: approved by @olivia');
});

it('people cannot tick an item the app owns', () => {
  const body = renderIssueBody(state, content, SEAL).replace('- [ ] Approved by the service owner', '- [x] Approved by the service owner');
  expect(tickedItems(refreshIssueBody(body, state, content, SEAL)).has('approval')).toBe(false);
});

it('a state is bound to its repository and issue, and signed with its own key, never the secret itself', () => {
  const body = renderIssueBody(state, content, SEAL);
  expect(parseState(body, { ...SEAL, issue: 8 })).toBe('tampered');
  expect(parseState(body, { ...SEAL, repo: 'css42/other' })).toBe('tampered');
  // The signature is not an HMAC of the marker's JSON with the secret: posted as a webhook body, it does not verify.
  const json = /<!-- shipshape:release (\{.*?\}) -->/s.exec(body)![1]!.replace(/--\\u003e/g, '-->');
  const { sig, ...rest } = JSON.parse(json) as { sig: string };
  expect(sig).not.toBe(createHmac('sha256', SECRET).update(JSON.stringify(rest)).digest('hex'));
  expect(sig).not.toBe(createHmac('sha256', SECRET).update(json).digest('hex'));
});

it('titles and labels in the notes are inert: no mentions, no HTML, no markers; the state survives any title', () => {
  const hostile = [
    {
      number: 20,
      title: 'Fix <!-- shipshape:status --> and <!-- /shipshape:checklist --> @org/team <img src=x onerror=alert(1)>',
      kind: 'issue' as const,
      labels: ['<!-- shipshape:checklist -->'],
    },
    { number: 21, title: '<!-- shipshape:release {"v":2} -->', kind: 'pull request' as const, labels: [] },
  ];
  const body = renderIssueBody(state, { ...content, notes: hostile, purpose: 'Purpose <!-- shipshape:status --> end' }, SEAL);
  expect(body).not.toMatch(/<img|[^\\]@org\/team/);
  expect(body.match(/<!-- shipshape:status -->/g)).toHaveLength(1);
  expect(body.match(/<!-- shipshape:checklist -->/g)).toHaveLength(1);
  expect(body).toContain('\\@org/team');
  const approved = { ...state, rev: 1, approval: { by: 'olivia', at: 'now' } };
  const refreshed = refreshIssueBody(body.replace('- [ ] Backups taken', '- [x] Backups taken'), approved, content, SEAL);
  expect(parseState(refreshed, SEAL)).toEqual(approved);
  expect(tickedItems(refreshed)).toEqual(new Set(['backups', 'approval']));
  expect(refreshed).toContain('#20 Fix');
});
