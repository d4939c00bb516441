// A project session against a scripted server socket: the status only says saved once a saved vector
// covers every local change, TokenExpired makes it reconnect with a different token, NotFound stops it.
import 'fake-indexeddb/auto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { createTask } from '../../../shared/doc-model.ts';
import { CloseCode, MessageType } from '../../../shared/protocol.ts';

const tokens = vi.hoisted(() => ({ current: 'tok-1', refreshedWith: [] as (string | null)[] }));
vi.mock('../auth/session.ts', () => ({
  getAccessToken: async () => tokens.current,
  refreshAccessToken: async (rejected: string | null) => {
    tokens.refreshedWith.push(rejected);
    tokens.current = `tok-${tokens.refreshedWith.length + 1}`;
    return tokens.current;
  },
  useSession: { getState: () => ({ status: 'authenticated', accessToken: tokens.current }) },
  onSignOut: () => () => {},
}));

const { ProjectSession } = await import('./project-doc-session.ts');
const { userDb } = await import('../db/database.ts');
const { buildBoardPreview, readBoardPreview, writeBoardPreview } = await import('../db/board-preview.ts');
const { appendUpdate } = await import('../db/update-store.ts');
const { readBoard, readTags } = await import('../../../shared/doc-model.ts');

/** The server end of one connection, driven by the test. */
class ServerSocket {
  static all: ServerSocket[] = [];
  readyState = 0;
  binaryType = 'arraybuffer';
  protocol = '';
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  received: Uint8Array[] = [];
  constructor(readonly url: string, readonly protocols: string[]) {
    ServerSocket.all.push(this);
  }
  send(data: Uint8Array) {
    this.received.push(new Uint8Array(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.protocol = 'fieldboard.v1';
    this.onopen?.(new Event('open'));
  }
  push(bytes: Uint8Array) {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '', wasClean: true });
  }
  /** Applies every update the client sent to `doc` (the server's copy). */
  applyReceived(doc: Y.Doc) {
    for (const frame of this.received) {
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) !== MessageType.Sync) continue;
      const type = decoding.readVarUint(d);
      if (type === syncProtocol.messageYjsSyncStep2 || type === syncProtocol.messageYjsUpdate) Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    }
  }
}

function step2(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep2(e, doc);
  return encoding.toUint8Array(e);
}
function saved(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Saved);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  return encoding.toUint8Array(e);
}
const until = async (check: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const PROJECT = '5e0c1d2e-3333-4444-8555-966666666666';
let userId: string;
let session: InstanceType<typeof ProjectSession> | null = null;

beforeEach(async () => {
  ServerSocket.all = [];
  tokens.current = 'tok-1';
  tokens.refreshedWith = [];
  vi.stubGlobal('WebSocket', ServerSocket);
  userId = crypto.randomUUID();
  await userDb(userId).projects.put({
    id: PROJECT, name: 'P', description: '', status: 'ACTIVE', color: null, start_date: null, end_date: null, created_by: null,
    created_at: '', updated_at: '', role: 'MEMBER', pending: 0, pending_error: null, task_counts: null,
  });
});
afterEach(async () => {
  await session?.destroy();
  session = null;
  vi.unstubAllGlobals();
  await userDb(userId).delete();
});

describe('project session', () => {
  it('says "saved" only after a saved vector covers the local change', async () => {
    session = new ProjectSession(PROJECT, userId, 'Una');
    await until(() => ServerSocket.all.length === 1);
    const ws = ServerSocket.all[0];
    expect(ws.protocols).toEqual(['fieldboard.v1', 'auth.tok-1']);
    expect(ws.url.endsWith(`/sync/${PROJECT}`)).toBe(true);
    ws.open();
    const server = new Y.Doc();
    ws.push(step2(server));
    ws.push(saved(server));
    await until(() => session!.getView().status.state === 'saved');

    createTask(session.doc, { title: 'Check the pump' }, { origin: session.origin });
    // At once, before IndexedDB has recorded the change: counted as unsaved, never "saved".
    expect(session.getView().status.unsavedCount).toBe(1);
    expect(session.getView().status.state).not.toBe('saved');
    await session.flush();
    expect(session.getView().status.unsavedCount).toBe(1);
    expect(session.getView().status.state).toBe('syncing');
    // A saved message that does not cover the change (sent before the server had it) changes nothing.
    ws.push(saved(server));
    await session.flush();
    expect(session.getView().status.unsavedCount).toBe(1);

    ws.applyReceived(server);
    ws.push(saved(server));
    await until(() => session!.getView().status.state === 'saved');
    expect(session.getView().status.lastSavedAt).toBeTypeOf('number');
    expect(session.undoManager.canUndo()).toBe(true);
  });

  it('stores and sends a local edit after the next paint, counts it as unsaved meanwhile, and a page exit writes it at once', async () => {
    // No frame comes (a tab closed before its next paint): only the fallback timer or a page exit runs the deferred work.
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => {});
    session = new ProjectSession(PROJECT, userId, 'Una');
    await until(() => ServerSocket.all.length === 1);
    const ws = ServerSocket.all[0];
    ws.open();
    const server = new Y.Doc();
    ws.push(step2(server));
    ws.push(saved(server));
    await until(() => session!.getView().status.state === 'saved');
    await session.flush();
    const db = userDb(userId);
    const rowsBefore = await db.docUpdates.where('projectId').equals(PROJECT).count();
    const sentBefore = ws.received.length;

    createTask(session.doc, { title: 'Grease the hinges' }, { origin: session.origin });
    expect(session.getView().status.unsavedCount).toBe(1);
    expect(session.getView().status.state).toBe('syncing');
    await new Promise((r) => setTimeout(r, 30));
    // Held past the paint: neither sent nor stored yet.
    expect(ws.received.length).toBe(sentBefore);
    expect(await db.docUpdates.where('projectId').equals(PROJECT).count()).toBe(rowsBefore);
    expect(await db.pendingChanges.where('projectId').equals(PROJECT).count()).toBe(0);
    // The stored count (0) reaching the session meanwhile must not make it claim "saved".
    await db.docMeta.update(PROJECT, { lastSavedAt: Date.now() });
    await until(() => session!.getView().status.lastSavedAt !== null);
    expect(session.getView().status.unsavedCount).toBe(1);
    expect(session.getView().status.state).not.toBe('saved');

    // The page goes away: the edit is sent and its IndexedDB write starts within the pagehide task.
    const transaction = vi.spyOn(db, 'transaction');
    window.dispatchEvent(new Event('pagehide'));
    expect(ws.received.length).toBe(sentBefore + 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(transaction).toHaveBeenCalled();
    transaction.mockRestore();
    await until(async () => (await db.pendingChanges.where('projectId').equals(PROJECT).count()) === 1);
    expect(await db.docUpdates.where('projectId').equals(PROJECT).count()).toBe(rowsBefore + 1);
    ws.applyReceived(server);
    expect(server.getMap('tasks').size).toBe(1);
    ws.push(saved(server));
    await until(() => session!.getView().status.state === 'saved');
    expect(session.getView().status.unsavedCount).toBe(0);
  });

  it('reconnects with a different token after TokenExpired, and stops for good on NotFound', async () => {
    session = new ProjectSession(PROJECT, userId, 'Una');
    await until(() => ServerSocket.all.length === 1);
    ServerSocket.all[0].open();
    ServerSocket.all[0].serverClose(CloseCode.TokenExpired);
    await until(() => ServerSocket.all.length === 2);
    expect(tokens.refreshedWith).toEqual(['tok-1']);
    expect(ServerSocket.all[1].protocols).toEqual(['fieldboard.v1', 'auth.tok-2']);

    // NotFound also re-reads the project over REST (my role may be gone).
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'Not found' } }), { status: 404 }));
    ServerSocket.all[1].open();
    ServerSocket.all[1].serverClose(CloseCode.NotFound);
    await until(() => session!.getView().noAccess);
    await new Promise((r) => setTimeout(r, 600));
    expect(ServerSocket.all).toHaveLength(2);
    expect(session.getView().canWrite).toBe(false);
    // The server said no access: the cached project is dropped, so it leaves the project list.
    await until(async () => (await userDb(userId).projects.get(PROJECT)) === undefined);
  });

  it('retries after a stale NotFound when the server confirms the membership over REST', async () => {
    session = new ProjectSession(PROJECT, userId, 'Una');
    await until(() => ServerSocket.all.length === 1);
    // The socket raced the project's registration (or a membership being added): REST already says member.
    const project = {
      id: PROJECT, name: 'P', description: '', status: 'ACTIVE', color: null, start_date: null, end_date: null,
      created_by: userId, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', my_role: 'MEMBER',
    };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ success: true, data: project }), { status: 200 }));
    ServerSocket.all[0].open();
    ServerSocket.all[0].serverClose(CloseCode.NotFound);
    await until(() => ServerSocket.all.length === 2);
    expect(session.getView().noAccess).toBe(false);
  });

  it('shows a stored board preview until the document is loaded, and stores a new one after changes', async () => {
    // A stored document and a preview written after its last row.
    const stored = new Y.Doc();
    createTask(stored, { title: 'Fix the fence', status: 'IN_REVIEW' });
    const db = userDb(userId);
    await appendUpdate(db, PROJECT, Y.encodeStateAsUpdate(stored));
    const preview = buildBoardPreview(readBoard(stored), {}, readTags(stored));
    await writeBoardPreview(db, PROJECT, preview);

    session = new ProjectSession(PROJECT, userId, 'Una');
    const seen: { ready: boolean; preview: unknown }[] = [];
    session.subscribe(() => seen.push({ ready: session!.getView().ready, preview: session!.getView().preview }));
    await until(() => session!.getView().ready);
    const first = seen.find((v) => v.preview !== null);
    expect(first?.ready).toBe(false);
    expect(first?.preview).toEqual(preview);
    expect(session.getView().preview).toBeNull();
    expect(readBoard(session.doc).IN_REVIEW.map((t) => t.title)).toEqual(['Fix the fence']);
    // The socket opens only after the loaded board had a chance to paint.
    await until(() => ServerSocket.all.length === 1);

    // Registered by the board: after a change, a preview of the changed board is stored (and matches again).
    const view = session.getView();
    view.setPreviewSource(() => buildBoardPreview(readBoard(view.doc), {}, readTags(view.doc)));
    createTask(session.doc, { title: 'Order posts', status: 'TODO' }, { origin: session.origin });
    await until(async () => {
      const data = (await readBoardPreview(db, PROJECT)) as typeof preview | null;
      return data?.columns.TODO.tasks[0]?.title === 'Order posts';
    }, 5000);
    view.setPreviewSource(null);
  });
});
