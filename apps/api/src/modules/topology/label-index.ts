import { isLabelSubset, type LabelMap, type LabelSelector, matchesLabelSelector } from '@chaosgate/shared';

/**
 * Objects indexed by their labels, so that selecting by a label map costs the smallest posting
 * list rather than a scan: 1,000 Services against 5,000 Pods stays in milliseconds.
 */
export class LabelIndex<T> {
  /** label key → label value → items carrying that label. */
  private readonly postings = new Map<string, Map<string, T[]>>();

  constructor(
    private readonly items: readonly T[],
    private readonly labelsOf: (item: T) => LabelMap,
  ) {
    for (const item of items) {
      const labels = labelsOf(item);
      for (const key in labels) {
        const value = labels[key] as string;
        let byValue = this.postings.get(key);
        if (!byValue) {
          byValue = new Map();
          this.postings.set(key, byValue);
        }
        const list = byValue.get(value);
        if (list) list.push(item);
        else byValue.set(value, [item]);
      }
    }
  }

  /** Items whose labels contain every entry of `subset`; every item for an empty subset. */
  withLabels(subset: LabelMap): T[] {
    let smallest: readonly T[] | undefined;
    let entries = 0;
    for (const key in subset) {
      entries += 1;
      const list = this.postings.get(key)?.get(subset[key] as string);
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    if (!smallest) return [...this.items];
    // One entry: the posting list is the answer.
    if (entries === 1) return [...smallest];
    return smallest.filter((item) => isLabelSubset(subset, this.labelsOf(item)));
  }

  /** Items a full label selector matches (labels and expressions); every item for an empty one. */
  matching(selector: LabelSelector): T[] {
    const candidates = this.withLabels(selector.matchLabels ?? {});
    if (!selector.matchExpressions?.length) return candidates;
    return candidates.filter((item) => matchesLabelSelector(selector, this.labelsOf(item)));
  }
}
