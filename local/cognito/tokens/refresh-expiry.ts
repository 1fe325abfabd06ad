// Keys in the order they expire: a binary min-heap on the expiry time, so adding one and taking the next
// due one each cost O(log n) however many are held. Refresh tokens of different clients expire in no
// particular order (validity is per client), so a plain queue in issue order would not do.

interface Entry {
  at: number;
  key: string;
}

export class ExpiryQueue {
  private readonly heap: Entry[] = [];

  get size(): number {
    return this.heap.length;
  }

  add(at: number, key: string): void {
    const heap = this.heap;
    heap.push({ at, key });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  /** Removes and returns the keys due at `now` (expiry ≤ now), earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0].at <= now) due.push(this.pop().key);
    return due;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].at < heap[smallest].at) smallest = left;
        if (right < heap.length && heap[right].at < heap[smallest].at) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
