import { stateKeys } from '../../src/ops/state-keys.js';
import { parseState, renderIssueBody } from '../../src/release/issue-body.js';
import { newReleaseState } from '../../src/release/state.js';

describe('the release-state key', () => {
  it('STATE_SECRETS (newest first) wins over WEBHOOK_SECRET, which is the default', () => {
    expect(stateKeys({ STATE_SECRETS: 'new, old', WEBHOOK_SECRET: 'hook' })).toEqual(['new', 'old']);
    expect(stateKeys({ WEBHOOK_SECRET: 'hook' })).toEqual(['hook']);
  });

  it('has no literal fallback: without a key it refuses to start, naming the variables', () => {
    expect(() => stateKeys({})).toThrow(/set STATE_SECRETS .* or WEBHOOK_SECRET/);
    expect(() => stateKeys({ STATE_SECRETS: ' , ' })).toThrow(/STATE_SECRETS/);
  });

  it('a rotated key still reads the states the old one signed; a removed key does not', () => {
    const state = newReleaseState({ version: '1.0.0', tag: '1.0.0', sha: 'a'.repeat(40), tool: 't', prerelease: false });
    const body = renderIssueBody(
      state,
      { notes: [], links: { checklist: '', report: '' }, environments: ['production'], doi: false, extraChecklist: [] },
      { keys: 'old', repo: 'o/r', issue: 1 },
    );
    expect(parseState(body, { keys: stateKeys({ STATE_SECRETS: 'new,old' }), repo: 'o/r', issue: 1 })).toMatchObject({
      version: '1.0.0',
    });
    expect(parseState(body, { keys: stateKeys({ STATE_SECRETS: 'new' }), repo: 'o/r', issue: 1 })).toBe('tampered');
  });
});
