/**
 * Slash-commands in comments: `/name args` at the start of a line, case-insensitive; lines inside fenced
 * code blocks or quotes are ignored, so quoting a command does not run it.
 */
export interface Command {
  name: string;
  args: string[];
  /** The text after the name, as written (a `/reject` reason keeps its spaces). */
  rest: string;
  line: number;
}

const COMMAND = /^\/([a-z][a-z-]*)(?:\s+(.*))?$/i;

export function parseCommands(body: string | null | undefined): Command[] {
  const commands: Command[] = [];
  let fenced = false;
  (body ?? '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced || line.startsWith('>')) return;
    const m = COMMAND.exec(line);
    if (!m) return;
    const rest = (m[2] ?? '').trim();
    commands.push({ name: m[1]!.toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest, line: i + 1 });
  });
  return commands;
}
