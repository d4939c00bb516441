// A project with a long edit history, built through the shared doc model so it has the shape real boards
// have: N tasks created, then edits (titles, priorities, moves between columns, typing in descriptions)
// until the history holds `totalUpdates` updates. Deterministic for a given seed.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { createTask, getDescription, initDoc, MAP, moveTask, updateTask } from '../../shared/doc-model.ts';
import { xorshift32 } from './random.ts';

export interface History {
  taskCount: number;
  /** Every update, in order (V1 encoding, as the y-websocket protocol carries and our log stores them). */
  updates: Uint8Array[];
  /** Y.encodeStateAsUpdate of the final document. */
  finalState: Uint8Array;
}

const STATUSES = ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE'] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

export function buildHistory(taskCount: number, totalUpdates: number, seed = 42): History {
  const rand = xorshift32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  initDoc(doc);
  const ids: string[] = [];
  for (let i = 0; i < taskCount && updates.length < totalUpdates; i++) {
    ids.push(
      createTask(doc, {
        id: randomUUID(),
        title: `Task ${i}: ${'review the quarterly plan '.slice(0, 10 + (i % 15))}`,
        description: `Context for task ${i}. `.repeat(6),
        status: pick(STATUSES),
        priority: pick(PRIORITIES),
      }),
    );
  }
  let edit = 0;
  while (updates.length < totalUpdates) {
    const id = pick(ids);
    const r = rand();
    edit++;
    // Moves are rarer than edits on real boards, and the doc model's rank computation reads the whole
    // column (about 2 ms per move at 500 tasks a column), so 2% keeps building 100,000 updates under a minute.
    if (r < 0.55) updateTask(doc, id, { title: `Task edit ${edit}` });
    else if (r < 0.78) updateTask(doc, id, { priority: pick(PRIORITIES) });
    else if (r < 0.8) moveTask(doc, id, { status: pick(STATUSES) });
    else {
      // Typing: a few characters into the description, as a collaborative editor sends them.
      const text = getDescription(doc, id);
      if (text) text.insert(Math.floor(rand() * (text.length + 1)), 'ab ');
    }
  }
  updates.length = totalUpdates;
  if (doc.getMap(MAP.tasks).size !== taskCount) throw new Error(`history: expected ${taskCount} tasks`);
  return { taskCount, updates, finalState: Y.encodeStateAsUpdate(doc) };
}

/**
 * buildHistory, cached in the temp directory: building 100,000 updates through the doc model takes about a
 * minute on a busy 2-core machine. The key holds the arguments and a hash of the doc model's sources, so a
 * changed model never reuses an old layout.
 */
export function cachedHistory(taskCount: number, totalUpdates: number, seed = 42): History {
  const file = join(tmpdir(), `fieldboard-bench-history-${taskCount}-${totalUpdates}-${seed}-${docModelHash()}.bin`);
  if (existsSync(file)) {
    try {
      const d = decoding.createDecoder(readFileSync(file));
      const count = decoding.readVarUint(d);
      const updates = Array.from({ length: count }, () => decoding.readVarUint8Array(d));
      const finalState = decoding.readVarUint8Array(d);
      if (count === totalUpdates) return { taskCount, updates, finalState };
    } catch {
      // A truncated or foreign file: rebuild it.
    }
  }
  const history = buildHistory(taskCount, totalUpdates, seed);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, history.updates.length);
  for (const u of history.updates) encoding.writeVarUint8Array(e, u);
  encoding.writeVarUint8Array(e, history.finalState);
  writeFileSync(file, encoding.toUint8Array(e));
  return history;
}

/** A short hash of the doc model's sources: part of every cache key, so a changed model never reuses old bytes. */
export function docModelHash(): string {
  const modelDir = new URL('../../shared/doc-model/', import.meta.url);
  const hash = createHash('sha256');
  for (const name of readdirSync(modelDir).sort()) hash.update(readFileSync(new URL(name, modelDir)));
  return hash.digest('hex').slice(0, 12);
}
