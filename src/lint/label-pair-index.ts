/** One item to index and its `key: value` label pairs (e.g. a selector's matchLabels). */
export interface LabelPairEntry<T> {
  readonly item: T;
  readonly pairs: readonly (readonly [string, string])[];
}

/**
 * Items (selectors) found from a set of labels without trying each one: the lookup gives every
 * item that has at least one indexed pair among the labels, in insertion order.
 *
 * - `rarest` indexes each item under a single pair, the one fewest items share: the lookup then
 *   finds every item whose pairs are ALL among the labels (what a matchLabels selector needs),
 *   and a pair common to the whole fleet (e.g. `role: canary`) does not make every lookup
 *   return every item.
 * - `every` indexes each item under all its pairs: the lookup finds every item with ANY pair
 *   among the labels.
 *
 * Items without pairs are not indexed.
 */
export class LabelPairIndex<T> {
  private readonly byPair = new Map<string, Map<string, { readonly order: number; readonly item: T }[]>>();

  constructor(entries: readonly LabelPairEntry<T>[], mode: 'rarest' | 'every') {
    const counts = new Map<string, Map<string, number>>();
    if (mode === 'rarest') {
      for (const { pairs } of entries) {
        for (const [key, value] of pairs) {
          let values = counts.get(key);
          if (!values) counts.set(key, (values = new Map()));
          values.set(value, (values.get(value) ?? 0) + 1);
        }
      }
    }
    entries.forEach(({ item, pairs }, order) => {
      if (mode === 'every') {
        for (const [key, value] of pairs) this.add(key, value, order, item);
        return;
      }
      let best: readonly [string, string] | undefined;
      let bestCount = Infinity;
      for (const pair of pairs) {
        const count = counts.get(pair[0])?.get(pair[1]) ?? 0;
        if (count < bestCount) [best, bestCount] = [pair, count];
      }
      if (best) this.add(best[0], best[1], order, item);
    });
  }

  /** Items with an indexed pair among any of `labelSets`, each once, in insertion order. */
  lookup(labelSets: readonly Readonly<Record<string, string>>[]): T[] {
    const found = new Map<number, T>();
    for (const labels of labelSets) {
      for (const [key, value] of Object.entries(labels)) {
        for (const { order, item } of this.byPair.get(key)?.get(value) ?? []) found.set(order, item);
      }
    }
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  }

  private add(key: string, value: string, order: number, item: T): void {
    let values = this.byPair.get(key);
    if (!values) this.byPair.set(key, (values = new Map()));
    const list = values.get(value);
    if (list) list.push({ order, item });
    else values.set(value, [{ order, item }]);
  }
}
