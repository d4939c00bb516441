import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readAttachments } from '../../../shared/doc-model.ts';
import { createUserDb, type FieldboardDb } from '../db/database.ts';
import { drainUploads, queueAttachment, type UploadTransport } from './attachments-queue.ts';

let db: FieldboardDb;
let doc: Y.Doc;
let taskId: string;
const userId = randomUUID();
const projectId = randomUUID();
const ctx = { userId };

beforeEach(() => {
  db = createUserDb(`test-${randomUUID()}`);
  doc = new Y.Doc();
  taskId = createTask(doc, { title: 'Photo task' }, ctx);
});
afterEach(async () => {
  await db.delete();
});

const file = (text: string, name = 'photo.jpg', type = 'image/jpeg') => new File([text], name, { type });

describe('offline attachments queue', () => {
  it('keeps the file on the device and lists it in the document with its SHA-256 at once', async () => {
    const id = await queueAttachment(db, doc, ctx, { projectId, taskId }, file('hello'));
    const [listed] = readAttachments(doc, taskId);
    // sha256("hello")
    expect(listed).toMatchObject({ id, name: 'photo.jpg', size: 5, mime: 'image/jpeg', uploaded_by: userId, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    const pending = await db.pendingUploads.get(id);
    expect(pending).toMatchObject({ id, taskId, projectId, error: null, size: 5 });
  });

  it('uploads in order with progress and forgets each file once the server has it', async () => {
    const a = await queueAttachment(db, doc, ctx, { projectId, taskId }, file('a'));
    const b = await queueAttachment(db, doc, ctx, { projectId, taskId }, file('b'));
    const sent: string[] = [];
    const progress: number[] = [];
    const send: UploadTransport = async (upload, onProgress) => {
      sent.push(upload.id);
      onProgress(0.5);
      progress.push(0.5);
      return { status: upload.id === a ? 201 : 200, body: {} };
    };
    await drainUploads(db, send);
    expect(sent).toEqual([a, b]);
    expect(progress).toHaveLength(2);
    expect(await db.pendingUploads.count()).toBe(0);
  });

  it('stops at a network failure and keeps everything for the next attempt', async () => {
    await queueAttachment(db, doc, ctx, { projectId, taskId }, file('a'));
    await queueAttachment(db, doc, ctx, { projectId, taskId }, file('b'));
    let calls = 0;
    await drainUploads(db, async () => {
      calls++;
      return { status: 0, body: null };
    });
    expect(calls).toBe(1);
    expect(await db.pendingUploads.count()).toBe(2);
    // Back online: both go.
    await drainUploads(db, async () => ({ status: 201, body: {} }));
    expect(await db.pendingUploads.count()).toBe(0);
  });

  it('records a refusal that retrying cannot fix and moves on to the next file', async () => {
    const big = await queueAttachment(db, doc, ctx, { projectId, taskId }, file('big'));
    const small = await queueAttachment(db, doc, ctx, { projectId, taskId }, file('small'));
    await drainUploads(db, async (upload) =>
      upload.id === big ? { status: 413, body: { success: false, error: { code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than the upload limit' } } } : { status: 201, body: {} },
    );
    expect((await db.pendingUploads.get(big))?.error).toBe('The file is larger than the upload limit');
    expect(await db.pendingUploads.get(small)).toBeUndefined();
    // A refused file is not retried on its own.
    let retried = false;
    await drainUploads(db, async () => {
      retried = true;
      return { status: 201, body: {} };
    });
    expect(retried).toBe(false);
  });
});
