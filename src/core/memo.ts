/**
 * A small least-recently-used cache for pure functions of text. A burst of pull requests on one repository
 * sends the same shipshape.yml, packages.yml and Dockerfile again and again: parsing each distinct text
 * once per process, not once per check, is most of the engine's CPU saved. Callers treat cached values as
 * read-only.
 */
export class TextCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly maxEntries = 256,
    /** Longer texts are not kept: memory stays bounded (256 × 64 KB at most) and big files are rare. */
    private readonly maxTextLength = 64 * 1024,
  ) {}

  get(key: string, text: string, compute: () => V): V {
    if (text.length > this.maxTextLength) return compute();
    const full = `${key}\0${text}`;
    const hit = this.entries.get(full);
    if (hit !== undefined) {
      // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
      this.entries.delete(full);
      this.entries.set(full, hit);
      return hit;
    }
    const value = compute();
    this.entries.set(full, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
