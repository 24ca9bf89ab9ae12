/** "Did you mean …?" only when the guess is close: a typo, not any word of similar length. */
import { closest, distance } from 'fastest-levenshtein';

/** Edits allowed for a word of this length: 1 up to 4 characters, 2 up to 8, 3 beyond. */
const allowedEdits = (word: string) => (word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3);

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (!candidates.length) return undefined;
  const guess = closest(word, candidates);
  const edits = distance(word.toLowerCase(), guess.toLowerCase());
  if (edits === 0) return word === guess ? undefined : guess; // differs only in case
  return edits <= allowedEdits(word) && edits < guess.length / 2 ? guess : undefined;
}
