/**
 * A file is taken only when its size, mtime and inode are the same on two consecutive polls: a producer
 * still writing changes at least one of them between polls. (A producer that pauses longer than the poll
 * interval can still be caught mid-file; producers should write under a temporary name or a manifest.)
 */
export interface FileSignature {
  size: number;
  mtimeMs: number;
  ino: number;
}

export class StabilityTracker {
  private previous = new Map<string, FileSignature>();
  private current = new Map<string, FileSignature>();

  /** Call once per poll before observe(). */
  beginPoll(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** Records this poll's signature and says whether it equals the previous poll's. */
  observe(name: string, signature: FileSignature): boolean {
    this.current.set(name, signature);
    const before = this.previous.get(name);
    return before !== undefined && sameSignature(before, signature);
  }

  /** Forget a file (taken, moved away, or to be re-checked from scratch). */
  forget(name: string): void {
    this.current.delete(name);
    this.previous.delete(name);
  }
}

export function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
