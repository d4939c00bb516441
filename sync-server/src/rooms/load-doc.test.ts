// A large snapshot is integrated in pieces with the event loop turning between them (other rooms keep being
// served), into the same document a single apply builds; a result that misses the stored state vector is
// thrown away and the snapshot applied whole.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, getDescription, initDoc, updateTask } from '../../../shared/doc-model.ts';
import { projectDoc } from '../../../shared/projection.ts';
import { createMetrics } from '../metrics.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { loadDoc } from './load-doc.ts';
import { snapshotOf } from './stored-head.ts';

/**
 * A project of two writers whose snapshot is about 400 kB (over the size that is integrated in pieces), and the
 * same project one edit later (the log row after the snapshot). Built once: the loads only read it.
 */
let built: { doc: Y.Doc; later: Y.Doc } | null = null;
function largeProject(): { doc: Y.Doc; later: Y.Doc } {
  if (built) return built;
  const doc = new Y.Doc();
  doc.clientID = 11;
  initDoc(doc);
  const ids: string[] = [];
  for (let i = 0; i < 300; i++) {
    ids.push(createTask(doc, { id: randomUUID(), title: `Task ${i}`, description: `Notes for task ${i} 📋 `.repeat(60), status: 'TODO', priority: 'LOW' }));
  }
  const other = new Y.Doc();
  other.clientID = 22;
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  for (let i = 0; i < 600; i++) {
    const id = ids[(i * 7) % ids.length]!;
    updateTask(i % 2 ? doc : other, id, { title: `Edit ${i}`, priority: i % 3 ? 'HIGH' : 'MEDIUM' });
    getDescription(i % 2 ? other : doc, id)?.insert(i % 50, 'ab ');
    if (i % 50 === 0) {
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    }
  }
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  const later = new Y.Doc();
  Y.applyUpdate(later, Y.encodeStateAsUpdate(doc));
  updateTask(later, ids[0]!, { title: 'After the snapshot' });
  built = { doc, later };
  return built;
}

async function stored(doc: Y.Doc, later: Y.Doc, stateVector?: Uint8Array): Promise<{ store: MemoryDocStore; projectId: string }> {
  const store = new MemoryDocStore();
  const projectId = randomUUID();
  const first = await store.append({ projectId, updates: [{ update: Y.encodeStateAsUpdate(doc), userId: null }] });
  const snapshot = snapshotOf(doc);
  expect(snapshot.state.length).toBeGreaterThan(256 * 1024);
  await store.compact(projectId, { ...snapshot, stateVector: stateVector ?? snapshot.stateVector, lastUpdateId: first.lastId, updateCount: 1 });
  await store.append({ projectId, updates: [{ update: Y.encodeStateAsUpdate(later, Y.encodeStateVector(doc)), userId: null }] });
  return { store, projectId };
}

/** Counts the event loop's turns while `work` runs (a single synchronous apply would allow none). */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

/** Byte equality without a deep compare of half a megabyte, element by element. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function logCollector() {
  const lines: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe('loading a large snapshot', () => {
  it('integrates it in pieces, the event loop turning in between, into the document a single apply builds', async () => {
    const { doc, later } = largeProject();
    const { store, projectId } = await stored(doc, later);
    const { logger, lines } = logCollector();
    const { result, turns } = await turnsDuring(async () => loadDoc(projectId, store, logger, undefined, await store.loadHead(projectId)));
    expect(turns).toBeGreaterThan(10);
    expect(result.stepped).toBe(true);
    expect(lines).toEqual([]);
    expect(result.rows).toBe(1);
    expect(projectDoc(result.doc)).toEqual(projectDoc(later));
    expect(Y.encodeStateVector(result.doc)).toEqual(Y.encodeStateVector(later));
    expect(sameBytes(Y.encodeStateAsUpdate(result.doc), Y.encodeStateAsUpdate(later))).toBe(true);
    expect(result.doc.store.pendingStructs).toBeNull();
  });

  it('applies the snapshot whole, and says so, when the pieces do not reach the stored state vector', async () => {
    const { doc, later } = largeProject();
    const wrong = Y.encodeStateVector(new Y.Doc());
    const { store, projectId } = await stored(doc, later, wrong);
    const { logger, lines } = logCollector();
    const metrics = createMetrics();
    const loaded = await loadDoc(projectId, store, logger, metrics, await store.loadHead(projectId));
    expect(lines.join('')).toContain('does not reach its stored state vector');
    expect((await metrics.steppedLoads.get()).values).toEqual([expect.objectContaining({ labels: { outcome: 'whole' }, value: 1 })]);
    expect(projectDoc(loaded.doc)).toEqual(projectDoc(later));
    expect(sameBytes(Y.encodeStateAsUpdate(loaded.doc), Y.encodeStateAsUpdate(later))).toBe(true);
  });

  it('applies it whole without the stored head (a compaction raced the load): nothing to check pieces against', async () => {
    const { doc, later } = largeProject();
    const { store, projectId } = await stored(doc, later);
    const { result, turns } = await turnsDuring(async () => loadDoc(projectId, store, pino({ level: 'silent' })));
    expect(turns).toBeLessThan(3);
    expect(result.stepped).toBe(false);
    expect(projectDoc(result.doc)).toEqual(projectDoc(later));
  });
});
