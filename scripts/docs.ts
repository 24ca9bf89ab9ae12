/** `npm run docs`: regenerate the README's rule reference from the rules' meta. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withRuleReference } from '../src/policy/docs.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withRuleReference(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md rule reference is up to date' : 'README.md rule reference regenerated');
