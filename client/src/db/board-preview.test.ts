import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTag, createTask, getDescription, readBoard, readTags, type Task } from '../../../shared/doc-model.ts';
import { buildBoardPreview, parseBoardPreview, PREVIEW_VERSION, readBoardPreview, writeBoardPreview } from './board-preview.ts';
import { createUserDb, type FieldboardDb } from './database.ts';
import { appendUpdate, compactUpdates } from './update-store.ts';

let db: FieldboardDb;
afterEach(async () => {
  await db?.delete();
});

function boardDoc(tasks: number) {
  const doc = new Y.Doc();
  const tag = createTag(doc, { name: 'Plumbing', color: '#2563eb' });
  for (let i = 0; i < tasks; i++) {
    createTask(doc, { title: `Task ${i}`, description: `Long text ${i}`, status: i % 2 ? 'DONE' : 'TODO', tag_ids: i % 3 ? [] : [tag] });
  }
  return doc;
}

describe('board preview', () => {
  it('keeps the first rows of each column with their totals, counts and tags, without descriptions', () => {
    const doc = boardDoc(9);
    const board = readBoard(doc);
    const first = board.TODO[0] as Task;
    const preview = buildBoardPreview(board, { [first.id]: { comments: 2, attachments: 0 }, missing: { comments: 1, attachments: 1 } }, readTags(doc), 3);
    expect(preview.columns.TODO.total).toBe(5);
    expect(preview.columns.TODO.tasks.map((t) => t.id)).toEqual(board.TODO.slice(0, 3).map((t) => t.id));
    expect(preview.columns.DONE.total).toBe(4);
    expect(preview.columns.IN_REVIEW).toEqual({ total: 0, tasks: [] });
    expect(preview.columns.TODO.tasks.every((t) => t.description === '')).toBe(true);
    expect(preview.counts).toEqual({ [first.id]: { comments: 2, attachments: 0 } });
    expect(preview.tags.map((t) => t.name)).toEqual(['Plumbing']);
    // What is stored reads back as it was (structured clone), and a damaged row reads as nothing.
    expect(parseBoardPreview(structuredClone(preview))).toEqual(preview);
    const broken = structuredClone(preview);
    (broken.columns.TODO.tasks[0] as { status: string }).status = 'DONE';
    expect(parseBoardPreview(broken)).toBeNull();
    expect(parseBoardPreview({ columns: {}, counts: {}, tags: [] })).toBeNull();
    expect(parseBoardPreview('x')).toBeNull();
  });

  it('is used only while the last stored update is the one it was written after; compaction keeps it', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const doc = boardDoc(4);
    const writes: Promise<unknown>[] = [];
    doc.on('update', (u: Uint8Array) => writes.push(appendUpdate(db, 'p1', u)));
    getDescription(doc, readBoard(doc).TODO[0]!.id)!.insert(0, 'x');
    await Promise.all(writes);
    expect(await readBoardPreview(db, 'p1')).toBeNull();

    const preview = buildBoardPreview(readBoard(doc), {}, readTags(doc));
    await writeBoardPreview(db, 'p1', preview);
    expect(parseBoardPreview(await readBoardPreview(db, 'p1'))).toEqual(preview);
    expect((await db.boardPreviews.get('p1'))?.version).toBe(PREVIEW_VERSION);

    // Folding the log into a snapshot changes no content: the preview stays usable.
    expect(await compactUpdates(db, 'p1', 0)).toBe(true);
    expect(parseBoardPreview(await readBoardPreview(db, 'p1'))).toEqual(preview);

    // A later update it does not show makes it stale.
    await appendUpdate(db, 'p1', Y.encodeStateAsUpdate(boardDoc(1)));
    expect(await readBoardPreview(db, 'p1')).toBeNull();
    // Another project's rows do not matter.
    await appendUpdate(db, 'p2', Y.encodeStateAsUpdate(boardDoc(1)));
    await writeBoardPreview(db, 'p1', preview);
    expect(await readBoardPreview(db, 'p1')).not.toBeNull();
  });
});
