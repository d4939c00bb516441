// Where project documents live: the newest snapshot plus the update log after it. Two implementations
// (PostgreSQL and in-memory) pass the same contract suite (doc-store-contract.ts).
import type { BatchEffects } from './effects.ts';

/** One yjs_updates row. Ids are bigint row ids as decimal strings, increasing in commit order. */
export interface StoredUpdate {
  id: string;
  update: Uint8Array;
}

export interface StoredDoc {
  snapshot: { state: Uint8Array; lastUpdateId: string } | null;
  /** Log rows after the snapshot, in id order. */
  updates: StoredUpdate[];
}

/**
 * What a returning client needs to sync without the document being loaded (rooms/stored-head.ts): the
 * snapshot's state vector and delete set, and the log rows after it. Never the snapshot's state itself.
 */
export interface StoredHead {
  snapshot: { stateVector: Uint8Array; deleteSet: Uint8Array | null; lastUpdateId: string } | null;
  updates: StoredUpdate[];
}

export interface AppendBatch {
  projectId: string;
  /** In the order the document produced them; userId = the authenticated author. */
  updates: { update: Uint8Array; userId: string | null }[];
  /** Projections and activity written in the same transaction (PostgreSQL store only). */
  effects?: BatchEffects;
}

export interface AppendResult {
  lastId: string;
  /** The log rows were written but the projections/activity were not (the caller resyncs them). */
  effectsFailed?: boolean;
}

export interface Snapshot {
  state: Uint8Array;
  stateVector: Uint8Array;
  /** An update with no structs carrying the document's whole delete set (see rooms/stored-head.ts). */
  deleteSet: Uint8Array;
  /** Every log row with id <= this is folded into `state` and deleted. */
  lastUpdateId: string;
  updateCount: number;
}

export interface DocStore {
  load(projectId: string): Promise<StoredDoc>;
  /** The light part of a load: the snapshot's state vector and delete set, and the rows after it. */
  loadHead(projectId: string): Promise<StoredHead>;
  /** The snapshot's state if the snapshot still covers exactly `lastUpdateId`, else null. */
  loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null>;
  /** Appends every update in one transaction (group commit); resolves with the last row id. */
  append(batch: AppendBatch): Promise<AppendResult>;
  /**
   * Pacing of group commits across documents (optional): undefined when a batch appended now goes out
   * right away, else a promise that resolves when it is worth cutting one (a commit in flight landed).
   */
  commitTurn?(): Promise<void> | undefined;
  /** Writes the snapshot and deletes the rows it covers, in one transaction. */
  compact(projectId: string, snapshot: Snapshot): Promise<void>;
}

/** Compare two bigint row ids given as decimal strings. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
