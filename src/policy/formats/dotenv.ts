/** `.env` files → their `KEY=value` assignments with lines; example files hold placeholders. */
import { defineFormat } from './format.js';

const EXAMPLE = /\.(example|sample|template|dist|defaults)$/i;

export interface DotenvFile {
  /** `.env.example` and the like: values there are placeholders, not secrets. */
  example: boolean;
  assignments: Array<{ line: number; key: string; value: string }>;
}

export const dotenvFormat = defineFormat({
  id: 'dotenv',
  description: 'environment file',
  files: ['**/.env', '**/.env.*'],
  parse: (text, path) => {
    const assignments: DotenvFile['assignments'] = [];
    text.split('\n').forEach((line, i) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) assignments.push({ line: i + 1, key: m[1]!, value: m[2]!.replace(/^(['"])(.*)\1$/, '$2') });
    });
    return { value: { example: EXAMPLE.test(path), assignments } as DotenvFile };
  },
});
