/**
 * The results of a pure function by key, for hot paths whose keys repeat (the days and hours a
 * sweep's parcels fall on). Forgets everything once `capacity` results are kept: cheaper than an
 * LRU's bookkeeping on every read, and the working set comes back within a few reads.
 */
export class MemoTable<Key, Value> {
  private readonly kept = new Map<Key, Value>();

  constructor(
    private readonly capacity: number,
    private readonly compute: (key: Key) => Value,
  ) {}

  get(key: Key): Value {
    let value = this.kept.get(key);
    if (value === undefined && !this.kept.has(key)) {
      value = this.compute(key);
      if (this.kept.size >= this.capacity) this.kept.clear();
      this.kept.set(key, value);
    }
    return value as Value;
  }
}
