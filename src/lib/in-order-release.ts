/**
 * Hands items on in the order of their positions, whatever order they arrive in: an item is
 * released once every position before it has arrived or been skipped. Pages render side by side
 * and finish in an order that changes from build to build (a PDF page waits for its worker), but
 * Pagefind numbers pages in the order it receives them, so the search index is the same bytes on
 * every build only if they reach it in one fixed order.
 */
export class InOrderRelease<T> {
  /** Arrived, not yet released, by position. */
  readonly #held = new Map<number, T | typeof SKIPPED>();
  /** The first position not yet released. */
  #next = 0;

  constructor(private readonly release: (item: T) => void) {}

  /** The item at `position` (each position once); releases it and what waited for it. */
  arrive(position: number, item: T): void {
    this.#hold(position, item);
  }

  /** Nothing comes at `position` (a page that is not HTML); what waited for it goes on. */
  skip(position: number): void {
    this.#hold(position, SKIPPED);
  }

  /**
   * Releases everything still held, in position order, past positions that never came (a path
   * Astro did not render after all). Only when nothing more will arrive.
   */
  drain(): void {
    for (const position of [...this.#held.keys()].sort((a, b) => a - b)) {
      const item = this.#held.get(position)!;
      this.#held.delete(position);
      if (item !== SKIPPED) this.release(item);
    }
  }

  #hold(position: number, item: T | typeof SKIPPED): void {
    if (!Number.isSafeInteger(position) || position < this.#next || this.#held.has(position)) throw new Error(`position ${position} arrived twice or out of range`);
    this.#held.set(position, item);
    while (this.#held.has(this.#next)) {
      const next = this.#held.get(this.#next)!;
      this.#held.delete(this.#next++);
      if (next !== SKIPPED) this.release(next);
    }
  }
}

const SKIPPED = Symbol('skipped');
