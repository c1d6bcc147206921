import path from 'node:path';
import { OutboundLedger } from './ledger.js';

/**
 * One ledger per exchange root per process: two sessions on one root (the engine's and a test's, say)
 * must append to the same file through the same queue, or a compaction by one would hide the other's
 * lines. Different processes must not share a root (documented; the hub runs one engine per database).
 */
const open = new Map<string, { ledger: Promise<OutboundLedger>; refs: number }>();

export interface LedgerLease {
  ledger: OutboundLedger;
  release(): Promise<void>;
}

export async function acquireLedger(root: string, retentionMs: number): Promise<LedgerLease> {
  const key = path.resolve(root);
  let entry = open.get(key);
  if (entry === undefined) {
    entry = { ledger: OutboundLedger.open(key, { retentionMs }), refs: 0 };
    open.set(key, entry);
    entry.ledger.catch(() => open.delete(key));
  }
  entry.refs += 1;
  const held = entry;
  let ledger: OutboundLedger;
  try {
    ledger = await held.ledger;
  } catch (error) {
    held.refs -= 1;
    throw error;
  }
  let released = false;
  return {
    ledger,
    async release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      if (open.get(key) === held) open.delete(key);
      await ledger.close();
    },
  };
}
