/**
 * Slash-commands in comments: `/name args` at the start of a line of a plain paragraph, case-insensitive.
 * The comment is read with a Markdown parser (marked's lexer, the CommonMark block structure GitHub
 * renders), so a command shown rather than given — in a fenced or indented code block, a block quote, a
 * list, an HTML comment or inline code — is not run.
 */
import { Lexer, type Token, type Tokens } from 'marked';

export interface Command {
  name: string;
  args: string[];
  /** The text after the name, as written (a `/reject` reason keeps its spaces). */
  rest: string;
  /** 1-based line in the comment. */
  line: number;
}

const COMMAND = /^\/([a-z][a-z-]*)(?:\s+(.*))?$/i;

export function parseCommands(body: string | null | undefined): Command[] {
  const text = (body ?? '').replace(/\r\n?/g, '\n');
  const commands: Command[] = [];
  let line = 1;
  for (const token of Lexer.lex(text)) {
    if (token.type === 'paragraph') {
      plainLines(token as Tokens.Paragraph).forEach((raw, i) => {
        const m = COMMAND.exec(raw.trim());
        if (!m) return;
        const rest = (m[2] ?? '').trim();
        commands.push({ name: m[1]!.toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest, line: line + i });
      });
    }
    line += (token.raw.match(/\n/g) ?? []).length;
  }
  return commands;
}

/** A paragraph's lines as written, without HTML comments (which GitHub does not show). */
function plainLines(paragraph: Tokens.Paragraph): string[] {
  const isComment = (t: Token) => t.type === 'html' && t.raw.trimStart().startsWith('<!--');
  return paragraph.tokens
    .map((t) => (isComment(t) ? t.raw.replace(/[^\n]/g, '') : t.raw))
    .join('')
    .split('\n');
}
