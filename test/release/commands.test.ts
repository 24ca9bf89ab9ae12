import { parseCommands } from '../../src/release/commands.js';

it('parses commands at the start of lines, case-insensitively, with arguments', () => {
  expect(parseCommands('Looks good.\n/APPROVE\n/reject  the notes are   missing \n/deploy staging').map((c) => [c.name, c.args, c.rest])).toEqual([
    ['approve', [], ''],
    ['reject', ['the', 'notes', 'are', 'missing'], 'the notes are   missing'],
    ['deploy', ['staging'], 'staging'],
  ]);
});

it('ignores commands in code blocks, quotes and mid-sentence', () => {
  expect(parseCommands('```\n/deploy production\n```\n> /approve\nplease /recheck this\n~~~\n/publish\n~~~')).toEqual([]);
});

it('handles empty and null bodies', () => {
  expect(parseCommands(null)).toEqual([]);
  expect(parseCommands('')).toEqual([]);
});
