// One project's document lifecycle in this tab: load from IndexedDB first (usable at once, no network),
// persist every update as it happens, then connect to the sync server and report an honest status.
// Sessions are reference-counted per project (several screens may use one) and shared per tab; tabs share
// state through IndexedDB (updates, unsaved changes) and y-websocket's BroadcastChannel (live updates).
import { liveQuery } from 'dexie';
import * as decoding from 'lib0/decoding';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../../shared/protocol.ts';
import { can, type Role } from '../../../shared/roles.ts';
import { getAccessToken, refreshAccessToken, useSession } from '../auth/session.ts';
import { readBoardPreview, writeBoardPreview, type BoardPreview } from '../db/board-preview.ts';
import { userDb, type FieldboardDb } from '../db/database.ts';
import { appendUpdate, applyStored, compactUpdates, countUpdates, COMPACT_THRESHOLD, loadUpdates } from '../db/update-store.ts';
import { refreshProject } from '../projects/project-store.ts';
import { afterNextPaint, nextPaint } from './after-paint.ts';
import { deferPastPaint, flushDeferred } from './past-paint.ts';
import { createAuthedSocketClass, type TokenResult } from './authed-socket.ts';
import { decideOnClose } from './close-policy.ts';
import { computeSyncState, type Connection, type SyncProblem, type SyncStatus } from './connection-status.ts';
import { FrameLimit } from './frame-splitter.ts';
import { TaskIndexer } from './task-indexer.ts';
import { applySavedVector, describeLocalChange, recordLocalChange, type LocalChange } from './unsaved-tracker.ts';
import { userColor } from './user-color.ts';

/** A board preview is stored this long after the last change (db/board-preview.ts). */
const PREVIEW_SAVE_DELAY_MS = 1000;
/** Origin of updates applied from IndexedDB: they are already stored, so they are not stored again. */
const LOAD_ORIGIN = Symbol('fieldboard.load');
/** This tab's id, to tell its own pending delete-only changes from other tabs'. */
export const TAB_ID = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random());

export interface ProjectSessionView {
  projectId: string;
  userId: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** Tracks only writes made with `origin`: never undoes someone else's edit. */
  undoManager: Y.UndoManager;
  /** Pass as ctx.origin to every doc-model write. */
  origin: object;
  role: Role | null;
  canWrite: boolean;
  /** Local state loaded from IndexedDB. */
  ready: boolean;
  /**
   * Until `ready`: the stored board preview (unparsed, see db/board-preview.ts) when one matches the stored
   * document, so the board can paint while the document loads. Null once ready.
   */
  preview: unknown;
  /** The board registers how to build its preview; the session stores one after changes. Null unregisters. */
  setPreviewSource(build: (() => BoardPreview) | null): void;
  /** The server says this user is not a member (or the project does not exist): retrying stopped. */
  noAccess: boolean;
  status: SyncStatus;
  /** Announce which task this user has open (presence), or null. */
  setOpenTask(taskId: string | null): void;
}

function wsBase(): string {
  return `${location.origin.replace(/^http/, 'ws')}/sync`;
}

export class ProjectSession {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly origin: object;
  readonly undoManager: Y.UndoManager;
  private provider: WebsocketProvider | null = null;
  private readonly db: FieldboardDb;
  private readonly listeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  private readonly indexer: TaskIndexer;
  private view: ProjectSessionView;
  private ready = false;
  private preview: unknown = null;
  /** The stored preview matches the document: nothing to write until the next update. */
  private previewFresh = false;
  private previewSource: (() => BoardPreview) | null = null;
  private previewTimer: ReturnType<typeof setTimeout> | null = null;
  /** Connecting (socket, other tabs) waits until the loaded board has been painted: it is not needed for that. */
  private connectAllowed = false;
  private role: Role | null = null;
  private pending = false;
  private noAccess = false;
  private connection: Connection = 'offline';
  private unsavedCount = 0;
  /**
   * Local changes whose IndexedDB write (update + pending-change row) has not completed, deferred ones
   * included. They count as unsaved: until the write lands, the pending-change table cannot show them, and
   * a page closed now would lose them. A failed write never decrements, so the indicator can never say
   * "saved" for it.
   */
  private localWritesInFlight = 0;
  /**
   * Updates not yet queued for IndexedDB, in order. A local edit's rows are written in a task after the
   * next paint (past-paint.ts), so the frame that shows the edit does not wait for them; anything that
   * relies on them being stored (a remote update's row, a saved vector, a preview, flush, a page exit)
   * queues them first.
   */
  private unqueuedRows: { update: Uint8Array; change: (LocalChange & { at: number }) | null }[] = [];
  private lastSavedAt: number | null = null;
  private lastActivityAt = 0;
  private connectionOpenedAt = 0;
  private savedOnConnection = 0;
  private forceRefresh = false;
  private authFailures = 0;
  private ownClientIds = new Set<number>();
  private everSynced = false;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private writeChain: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  /** Sync frames are split below the server's limit (frame-splitter.ts); a change too big to split is reported. */
  private readonly frames = new FrameLimit(undefined, () => this.setProblem('change-too-large'));
  private problem: SyncProblem | undefined;

  constructor(readonly projectId: string, readonly userId: string, userName: string) {
    this.db = userDb(userId);
    this.origin = { session: projectId, tab: TAB_ID };
    this.undoManager = new Y.UndoManager(this.doc, { trackedOrigins: new Set([this.origin]), captureTimeout: 400 });
    this.indexer = new TaskIndexer(this.db, projectId, this.doc);
    this.awareness.setLocalStateField('user', { id: userId, name: userName, color: userColor(userId) });
    this.awareness.setLocalStateField('openTaskId', null);
    this.view = this.buildView();
    void this.start();
  }

  private async start(): Promise<void> {
    performance.mark('fb:doc-session-start');
    const updatesRead = loadUpdates(this.db, this.projectId);
    const metaRead = this.db.docMeta.get(this.projectId);
    // Role and unsaved count do not depend on the document: known before it is loaded (no layout shift).
    this.watchProjectState();
    // A large board paints from its preview while the document is read and applied (db/board-preview.ts);
    // applying waits for that paint.
    let painted: Promise<void> = Promise.resolve();
    const [preview, project] = await Promise.all([
      readBoardPreview(this.db, this.projectId).catch(() => null),
      // The role decides how cards render (drag handles, menus): known before the first board render, so the
      // preview's cards are the very ones that turn live (no re-mount, no second layout).
      this.db.projects.get(this.projectId).catch(() => undefined),
    ]);
    performance.mark('fb:preview-read');
    if (project && this.role === null) {
      this.role = project.role ?? null;
      this.pending = project.pending === 1;
    }
    if (preview !== null && !this.destroyed) {
      this.preview = preview;
      this.previewFresh = true;
      this.changed();
      painted = nextPaint();
    }
    const [updates, meta] = await Promise.all([updatesRead, metaRead, painted]);
    if (this.destroyed) return;
    performance.mark('fb:doc-read');
    applyStored(this.doc, updates, LOAD_ORIGIN);
    performance.mark('fb:doc-applied');
    this.ownClientIds = new Set([...this.ownClientIds, ...(meta?.ownClientIds ?? [])]);
    this.everSynced = meta?.everSynced === 1 || updates.length > 0;
    this.doc.on('update', this.onUpdate);
    this.ready = true;
    this.preview = null;
    this.changed();
    afterNextPaint(() => {
      this.connectAllowed = true;
      this.maybeConnect();
      this.schedulePreview();
    });
    // After first paint: the rows are only needed by list views, and usually are current already.
    setTimeout(() => void this.indexer.rebuildIfStale().catch(() => {}), 250);
    if (updates.length > COMPACT_THRESHOLD) this.enqueue(() => compactUpdates(this.db, this.projectId));
  }

  private watchProjectState(): void {
    let askedServer = false;
    const sub = liveQuery(async () => ({
      project: await this.db.projects.get(this.projectId),
      unsaved: await this.db.pendingChanges.where('projectId').equals(this.projectId).count(),
      meta: await this.db.docMeta.get(this.projectId),
    })).subscribe({
      next: ({ project, unsaved, meta: m }) => {
        if (!project && !askedServer && navigator.onLine) {
          // Opened by link before the project list was fetched: learn my role from the server.
          askedServer = true;
          void refreshProject(this.projectId).catch(() => {});
        }
        this.role = project?.role ?? null;
        this.pending = project?.pending === 1;
        this.unsavedCount = unsaved + (this.pending ? 1 : 0);
        this.lastSavedAt = m?.lastSavedAt ?? null;
        for (const id of m?.ownClientIds ?? []) this.ownClientIds.add(id);
        this.maybeConnect();
        this.changed();
      },
      error: (error: unknown) => console.warn('fieldboard: project state query failed', error),
    });
    this.cleanups.push(() => sub.unsubscribe());
    const online = () => this.maybeConnect();
    const offline = () => this.goOffline();
    // Only changes not yet in IndexedDB can be lost by closing the page (the rest sync on the next visit):
    // ask the browser to confirm leaving while any local write is still in flight.
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (this.localWritesInFlight > 0) event.preventDefault();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    window.addEventListener('beforeunload', beforeUnload);
    this.cleanups.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.removeEventListener('beforeunload', beforeUnload);
    });
  }

  /** Stores a fresh board preview a second after the last change (only while a board is showing this project). */
  private schedulePreview(): void {
    if (this.previewFresh || !this.previewSource || !this.connectAllowed || this.destroyed) return;
    if (this.previewTimer) clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => {
      this.previewTimer = null;
      if (this.previewFresh || !this.previewSource || this.destroyed) return;
      // Built now and queued behind the update appends queued so far, so the seq it is stored with covers
      // exactly the updates it shows.
      const data = this.previewSource();
      this.queueRows();
      this.previewFresh = true;
      this.enqueue(() => writeBoardPreview(this.db, this.projectId, data));
    }, PREVIEW_SAVE_DELAY_MS);
  }

  private readonly setPreviewSourceBound = (build: (() => BoardPreview) | null): void => {
    this.previewSource = build;
    this.schedulePreview();
  };

  private createProvider(): WebsocketProvider {
    const getToken = async (): Promise<TokenResult> => {
      let token: string | null;
      if (this.forceRefresh) {
        // The server refused the token this tab holds (expired by its clock): get a different one.
        this.forceRefresh = false;
        token = await refreshAccessToken(useSession.getState().accessToken);
      } else {
        token = await getAccessToken();
      }
      if (token) return { token };
      return { error: useSession.getState().status === 'anonymous' ? 'signed-out' : 'unreachable' };
    };
    const provider = new WebsocketProvider(wsBase(), this.projectId, this.doc, {
      connect: false,
      awareness: this.awareness,
      WebSocketPolyfill: createAuthedSocketClass(getToken, WebSocket, this.frames) as unknown as typeof WebSocket,
      maxBackoffTime: 5000,
      shouldReconnect: (event) => this.shouldReconnect(event.code),
    });
    provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      const vector = decoding.readVarUint8Array(decoder);
      this.onSaved(vector);
    };
    provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.connectionOpenedAt = Date.now();
        this.savedOnConnection = 0;
        this.lastActivityAt = this.connectionOpenedAt;
        this.setConnection('handshake');
      } else if (status === 'connecting') {
        this.setConnection(provider.wsUnsuccessfulReconnects > 0 || !navigator.onLine ? 'offline' : 'connecting');
      } else if (!this.noAccess) {
        this.setConnection('offline');
      }
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.authFailures = 0;
        this.lastActivityAt = Date.now();
        if (!this.everSynced) {
          this.everSynced = true;
          this.enqueue(async () => {
            const m = await this.db.docMeta.get(this.projectId);
            if (m) await this.db.docMeta.update(this.projectId, { everSynced: 1 });
            else await this.db.docMeta.put({ projectId: this.projectId, savedVector: null, lastSavedAt: null, ownClientIds: [], everSynced: 1 });
          });
        }
        this.setConnection('synced');
      }
    });
    return provider;
  }

  /** Applies decideOnClose; returns whether y-websocket should reconnect. */
  private shouldReconnect(code: number): boolean {
    this.authFailures = code === CloseCode.Unauthenticated ? this.authFailures + 1 : this.authFailures;
    const decision = decideOnClose(code, this.authFailures);
    if (decision.refreshToken) this.forceRefresh = true;
    if (decision.shrinkFrames && !this.frames.shrink()) {
      this.setProblem('frame-refused');
      return false;
    }
    if (decision.noAccess) {
      this.noAccess = true;
      this.setConnection('no-access');
    }
    if (decision.refreshRole) {
      void refreshProject(this.projectId)
        .then((record) => {
          // The REST answer is authoritative: a 4404 can be stale (the socket raced the registration of a
          // project created offline, or a membership being added). If the server says we are a member, retry.
          if (record && this.noAccess) {
            this.noAccess = false;
            this.maybeConnect();
          }
        })
        .catch(() => {});
    }
    return decision.reconnect;
  }

  private maybeConnect(): void {
    if (this.destroyed || !this.ready || !this.connectAllowed || this.noAccess || this.problem === 'frame-refused') return;
    if (!navigator.onLine) {
      this.setConnection('offline');
      this.ensureBc();
      return;
    }
    if (this.pending) {
      // Created offline: the server refuses the room until POST /api/projects registered it.
      this.setConnection('waiting-registration');
      this.ensureBc();
      return;
    }
    if (!this.provider) this.provider = this.createProvider();
    if (!this.provider.shouldConnect) this.provider.connect();
  }

  /** Tabs keep syncing with each other over BroadcastChannel even with no network. */
  private ensureBc(): void {
    if (!this.provider) this.provider = this.createProvider();
    if (!this.provider.bcconnected) this.provider.connectBc();
  }

  private goOffline(): void {
    // Chromium may keep a socket open when the network drops; close it so nothing claims to be live.
    if (this.provider?.shouldConnect) {
      this.provider.disconnect();
      this.provider.connectBc();
    }
    if (!this.noAccess) this.setConnection('offline');
  }

  private onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    if (origin === LOAD_ORIGIN) return;
    this.previewFresh = false;
    this.schedulePreview();
    const local = tr.local;
    const change = local ? describeLocalChange(this.doc, tr) : null;
    const remote = !local;
    const byOthers = remote && this.everSynced && this.provider !== null && origin === this.provider && !this.provider.synced && this.hasForeignInserts(tr);
    if (change) {
      this.ownClientIds.add(change.clientId);
      this.lastActivityAt = Date.now();
    }
    this.indexer.apply(tr, byOthers);
    if (change) this.localWritesInFlight++;
    this.unqueuedRows.push({ update, change: change && { ...change, at: Date.now() } });
    // This tab's edit: stored (and sent, authed-socket.ts) right after the frame that shows it. Others'
    // updates, and anything held before them, are queued at once.
    if (change) deferPastPaint(this.queueRowsBound);
    else this.queueRows();
    this.scheduleStatus();
  };

  private readonly queueRowsBound = (): void => this.queueRows();

  /** Queues the held rows' IndexedDB write: the updates and their pending-change rows, in one transaction. */
  private queueRows(): void {
    if (this.unqueuedRows.length === 0) return;
    const rows = this.unqueuedRows;
    this.unqueuedRows = [];
    const changes = rows.flatMap((row) => (row.change ? [row.change] : []));
    this.enqueue(async () => {
      await this.db.transaction('rw', this.db.docUpdates, this.db.pendingChanges, this.db.docMeta, async () => {
        for (const row of rows) await appendUpdate(this.db, this.projectId, row.update);
        for (const change of changes) await recordLocalChange(this.db, this.projectId, change, TAB_ID, change.at);
      });
      if (changes.length === 0) return;
      // The rows are in IndexedDB now; count them until the live query (which will include them) catches up.
      this.localWritesInFlight -= changes.length;
      this.unsavedCount += changes.length;
      this.changed();
    });
  }

  private hasForeignInserts(tr: Y.Transaction): boolean {
    for (const [client, clock] of tr.afterState) {
      if (clock > (tr.beforeState.get(client) ?? 0) && !this.ownClientIds.has(client)) return true;
    }
    return false;
  }

  private onSaved(vector: Uint8Array): void {
    this.savedOnConnection++;
    const ctx = { tabId: TAB_ID, connectionOpenedAt: this.connectionOpenedAt, afterHandshake: this.savedOnConnection > 1 };
    // Queued behind the writes so a change is recorded before the saved vector that covers it is applied.
    this.queueRows();
    this.enqueue(async () => {
      await applySavedVector(this.db, this.projectId, vector, ctx);
      if ((await countUpdates(this.db, this.projectId)) > COMPACT_THRESHOLD) await compactUpdates(this.db, this.projectId);
    });
  }

  private enqueue(task: () => Promise<unknown>): void {
    this.writeChain = this.writeChain.then(task).catch((error: unknown) => console.warn('fieldboard: local write failed', error));
  }

  /** Resolves once every queued IndexedDB write has finished (tests, sign-out). */
  flush(): Promise<unknown> {
    flushDeferred();
    this.queueRows();
    return this.writeChain;
  }

  private setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.changed();
  }

  private scheduleStatus(): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    // Re-evaluate after the grace period: "syncing" turns into "not saved yet" if no saved message came.
    this.statusTimer = setTimeout(() => this.changed(), 4100);
    this.changed();
  }

  /** Stable identity, so screens can list it as an effect dependency. */
  private readonly setOpenTaskBound = (taskId: string | null): void => this.setOpenTask(taskId);

  setOpenTask(taskId: string | null): void {
    this.awareness.setLocalStateField('openTaskId', taskId);
  }

  status(): SyncStatus {
    const unsavedCount = this.unsavedCount + this.localWritesInFlight;
    const state = computeSyncState({ connection: this.connection, unsavedCount, lastActivityAt: this.lastActivityAt, now: Date.now() });
    return { state, unsavedCount, lastSavedAt: this.lastSavedAt, ...(this.problem ? { problem: this.problem } : {}) };
  }

  private setProblem(problem: SyncProblem): void {
    this.problem = problem;
    this.changed();
  }

  private buildView(): ProjectSessionView {
    return {
      projectId: this.projectId,
      userId: this.userId,
      doc: this.doc,
      awareness: this.awareness,
      undoManager: this.undoManager,
      origin: this.origin,
      role: this.role,
      canWrite: can(this.role, 'board.write') && !this.noAccess,
      ready: this.ready,
      preview: this.preview,
      setPreviewSource: this.setPreviewSourceBound,
      noAccess: this.noAccess,
      status: this.status(),
      setOpenTask: this.setOpenTaskBound,
    };
  }

  private changed(): void {
    const next = this.buildView();
    const prev = this.view;
    const same =
      prev.ready === next.ready && prev.preview === next.preview && prev.role === next.role && prev.noAccess === next.noAccess &&
      prev.status.state === next.status.state && prev.status.unsavedCount === next.status.unsavedCount &&
      prev.status.lastSavedAt === next.status.lastSavedAt && prev.status.problem === next.status.problem;
    if (same) return;
    this.view = next;
    for (const listener of this.listeners) listener();
  }

  getView = (): ProjectSessionView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Closes the session; the returned promise settles once its last IndexedDB writes are done. */
  destroy(): Promise<unknown> {
    this.destroyed = true;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.previewTimer) clearTimeout(this.previewTimer);
    this.queueRows();
    const indexed = this.indexer.flush();
    for (const cleanup of this.cleanups) cleanup();
    this.doc.off('update', this.onUpdate);
    this.provider?.destroy();
    this.awareness.destroy();
    this.undoManager.destroy();
    this.listeners.clear();
    return Promise.all([indexed, this.writeChain]);
  }
}
