import { parseCommands } from '../../src/release/commands.js';

const names = (body: string) => parseCommands(body).map((c) => c.name);

it('parses commands at the start of lines, case-insensitively, with arguments', () => {
  expect(
    parseCommands('Looks good.\n/APPROVE\n/reject  the notes are   missing \n/deploy staging').map((c) => [c.name, c.args, c.rest, c.line]),
  ).toEqual([
    ['approve', [], '', 2],
    ['reject', ['the', 'notes', 'are', 'missing'], 'the notes are   missing', 3],
    ['deploy', ['staging'], 'staging', 4],
  ]);
  expect(parseCommands('Hi.\r\n\r\n/approve').map((c) => [c.name, c.line])).toEqual([['approve', 3]]);
});

describe('only plain paragraphs hold commands', () => {
  const shown: Array<[string, string]> = [
    ['a fenced code block', '```\n/deploy production\n```'],
    ['a tilde fence', '~~~\n/publish\n~~~'],
    ['a nested fence', '````\n```\n/approve\n```\n````'],
    ['an indented code block', 'Run this:\n\n    /deploy production'],
    ['a block quote', '> /approve'],
    ['a nested block quote', '> > /approve'],
    ['an HTML comment block', '<!--\n/approve\n-->'],
    ['an HTML comment inside a paragraph', 'text <!--\n/deploy production\n--> more'],
    ['a list item', '- /verify staging'],
    ['inline code', '`/approve`'],
    ['mid-sentence', 'please /recheck this'],
    ['an escaped slash', '\\/approve'],
  ];
  it.each(shown)('not in %s', (_where, body) => expect(names(body)).toEqual([]));

  it('a reason keeps its inline markup', () => {
    expect(parseCommands('/reject needs <b>bold</b> and `code`')[0]?.rest).toBe('needs <b>bold</b> and `code`');
  });
});

it('handles empty and null bodies', () => {
  expect(parseCommands(null)).toEqual([]);
  expect(parseCommands('')).toEqual([]);
});
