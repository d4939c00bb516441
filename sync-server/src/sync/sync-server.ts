// WebSocket upgrades on GET /sync/:projectId. Our own `ws` server (noServer) rather than @hono/node-ws,
// which cannot set maxPayload or choose the subprotocol (STACK.md trap 4).
//
// Handshake: the client offers ['fieldboard.v1' | 'y-websocket', 'auth.<accessToken>']; we select the
// first of those two it offers and never echo the token. Tokens in the URL are ignored (they end up in logs).
// Every refusal happens after the upgrade, as a close code from shared/protocol.ts, because a browser cannot
// read the HTTP status of a refused upgrade.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, CloseCode, closeCodeName, SUBPROTOCOL_FIELDBOARD, SUBPROTOCOL_YJS, SYNC_PATH_PREFIX } from '../../../shared/protocol.ts';
import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { ServerEvents } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { canonicalId, type RoomRegistry } from '../rooms/room-registry.ts';
import { readStep1 } from '../rooms/messages.ts';
import type { AnsweredHead } from '../rooms/stored-head.ts';
import { ConnectionSet, type LiveConnection } from './connection-set.ts';
import { Heartbeat } from './heartbeat.ts';
import { OutputLimit } from './output-limit.ts';
import { SocketAuthenticator } from './socket-auth.ts';
import type { SyncOptions } from './sync-options.ts';
import { TokenBucket } from './token-bucket.ts';
import { TurnWrites } from './turn-writes.ts';

export interface SyncServerDeps {
  config: Config;
  sql: Sql;
  logger: Logger;
  events: ServerEvents;
  now?: () => number;
}

export interface SyncServer {
  readonly connections: ConnectionSet;
  /** Close every socket (ServerShutdown) and persist every room. */
  close(): Promise<void>;
}

/** Frames a connection may send before it is authenticated (the client starts talking at once). */
const PRE_AUTH_MAX_FRAMES = 64;

export function attachSyncServer(
  server: Server,
  deps: SyncServerDeps,
  registry: RoomRegistry,
  options: SyncOptions,
  metrics?: Metrics,
): SyncServer {
  const { config, logger } = deps;
  const connections = new ConnectionSet(deps.events);
  const authenticator = new SocketAuthenticator(deps);
  const turnWrites = new TurnWrites();
  const heartbeat = new Heartbeat(options.pingIntervalMs, () => metrics?.heartbeatTimeouts.inc());
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(SUBPROTOCOL_FIELDBOARD) ? SUBPROTOCOL_FIELDBOARD : offered.has(SUBPROTOCOL_YJS) ? SUBPROTOCOL_YJS : false),
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(SYNC_PATH_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void accept(ws, socket, req, path.slice(SYNC_PATH_PREFIX.length)).catch((error: unknown) => {
        logger.error({ err: error }, 'sync connection setup failed');
        refuse(ws, CloseCode.ServerError, 'server error');
      });
    });
  };
  server.on('upgrade', onUpgrade);

  function refuse(ws: WebSocket, code: number, reason: string) {
    metrics?.refusals.inc({ code: closeCodeName(code) ?? String(code) });
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
  }

  /**
   * `socket`: the connection under `ws` (ws writes each frame to it as soon as it is sent, each with its own
   * writev system call). Frames are written together instead: the stored head's greeting (step 2, saved, step
   * 1; a cold document's delete set goes ahead on its own) in one corked run, and everything the room sends
   * (a step 1's answer, relays, saved acknowledgements) held by `turnWrites` until the end of the event-loop
   * turn. The order on the wire is unchanged.
   */
  async function accept(ws: WebSocket, socket: Duplex, req: IncomingMessage, rawProjectId: string) {
    const corked = (fn: () => void) => {
      socket.cork();
      try {
        fn();
      } finally {
        socket.uncork();
      }
    };
    // ws closes with 1009 when a frame exceeds maxPayload (and 1002/1007 for broken frames); our clients
    // expect the documented application codes instead.
    const wsClose = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) => {
      if (code === 1009) return refuse2(CloseCode.MessageTooLarge, 'frame larger than the server limit');
      if (code === 1002 || code === 1007) return refuse2(CloseCode.MalformedMessage, 'invalid WebSocket frame');
      return wsClose(code, reason);
    };
    const refuse2 = (code: number, reason: string) => {
      metrics?.refusals.inc({ code: closeCodeName(code) ?? String(code) });
      wsClose(code, reason);
    };
    ws.on('error', (error) => logger.debug({ err: error.message }, 'sync socket error'));
    heartbeat.watch(ws);
    ws.on('pong', () => heartbeat.alive(ws));

    // Buffer what the client sends while we authenticate (bounded: GHSA-xwhh-v746-pj9m in hocuspocus).
    const early: Buffer[] = [];
    let live: LiveConnection | null = null;
    let closed = false;
    let onFrame = (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return refuse(ws, CloseCode.MalformedMessage, 'text frames are not part of the protocol');
      if (early.length >= PRE_AUTH_MAX_FRAMES) return refuse(ws, CloseCode.RateLimited, 'too many messages before authentication finished');
      early.push(data);
    };
    ws.on('message', (data, isBinary) => {
      heartbeat.alive(ws);
      onFrame(toBuffer(data), isBinary);
    });
    ws.on('close', () => {
      closed = true;
      heartbeat.unwatch(ws);
      if (live) {
        live.dispose();
        metrics?.openConnections.dec();
      }
    });

    const origin = req.headers.origin;
    if (origin && !originAllowed(origin, req, config.allowedOrigins)) return refuse(ws, CloseCode.OriginNotAllowed, 'origin not allowed');

    const token = authToken(req);
    if (!token) return refuse(ws, CloseCode.Unauthenticated, 'missing auth subprotocol');
    let projectId: string;
    try {
      projectId = canonicalId(decodeURIComponent(rawProjectId));
    } catch {
      projectId = '';
    }
    // The session check and the role in the project, in one statement with the other sockets of this turn.
    const auth = await authenticator.authenticate(token, projectId);
    if (closed) return;
    if (!auth.ok) return refuse(ws, auth.reason === 'expired' ? CloseCode.TokenExpired : CloseCode.Unauthenticated, auth.reason === 'expired' ? 'token expired' : 'not authenticated');
    const { role } = auth;
    if (!role) return refuse(ws, CloseCode.NotFound, 'no such project');
    // Closures below that live as long as the connection name only what they need: every variable any closure
    // of this function captures stays in one context per connection (the auth result, the greeting and its
    // stored head would otherwise be kept for the socket's lifetime).
    const userId = auth.user.id;
    if (connections.countForUser(userId) >= options.maxConnectionsPerUser) return refuse(ws, CloseCode.RateLimited, 'too many connections for this user');

    // How far this connection may fall behind (sync/output-limit.ts): every frame sent to it is counted, and the
    // room's frames are checked before they are queued.
    const output = new OutputLimit(options.maxBufferedBytes);

    const acquiring = registry.acquire(projectId);
    // A cold document: answer a returning client from the stored head while the room loads.
    const greeting = registry.greetWhileLoading(projectId);
    let greeted: { headVector: Uint8Array; clientVector: Uint8Array } | undefined;
    let headFailed = false;
    /** A new device's step 1 waits for the snapshot's state (read once, shared with the load). */
    let snapshotPending = false;
    let joined = false;
    if (greeting) {
      const head = await greeting.head.catch(() => null);
      const { done, snapshotState } = greeting;
      if (!head || closed) done();
      else {
        // The first frames (a returning client's delete set, a new device's snapshot) leave at once: this runs
        // uncorked, and the client integrates them while we merge the log rows for the rest.
        const send = (reply: AnsweredHead): boolean => {
          for (const frame of reply.first) {
            output.sent(frame.byteLength);
            ws.send(frame);
          }
          const rest = reply.rest();
          const headVector = head.stateVector;
          if (!rest || !headVector) {
            headFailed = true;
            done();
            return false; // the rows cannot be merged: the loaded room answers this step 1
          }
          // The load may start once the answer has left the process: a step 2 larger than the socket's
          // kernel buffer is otherwise finished only after the snapshot's integration frees the event loop.
          corked(() =>
            rest.forEach((frame, i) => {
              output.sent(frame.byteLength);
              ws.send(frame, i === rest.length - 1 ? () => done() : undefined);
            }),
          );
          greeted = { headVector, clientVector: reply.clientVector };
          return true;
        };
        const wantsSaved = ws.protocol === SUBPROTOCOL_FIELDBOARD;
        const answer = (data: Buffer): boolean => {
          if (greeted || headFailed || snapshotPending) return false;
          const reply = head.answer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), wantsSaved);
          if (reply.kind === 'other') return false;
          if (reply.kind === 'unanswerable') {
            done();
            return false; // holds part of the snapshot: the loaded room answers it
          }
          if (reply.kind === 'answered') {
            if (send(reply)) metrics?.headSyncs.inc();
            return !headFailed;
          }
          // A new device: answered once the snapshot's state is read. Should that fail, or the room join first,
          // the frame goes to the room like any other (headFailed makes this function pass it on).
          snapshotPending = true;
          const { clientVector } = reply;
          void snapshotState()
            .catch(() => null)
            .then((read) => {
              snapshotPending = false;
              if (closed) return done();
              if (!joined && read?.check.ok && send(head.withSnapshot(read.state, clientVector, wantsSaved))) {
                metrics?.headSnapshotSyncs.inc();
                return;
              }
              headFailed = true;
              done();
              onFrame(data, true);
            });
          return true;
        };
        const answered = early.findIndex(answer);
        if (answered >= 0) early.splice(answered, 1);
        const buffer = onFrame;
        onFrame = (data, isBinary) => {
          if (!(isBinary && answer(data))) buffer(data, isBinary);
        };
      }
    }

    let room;
    try {
      room = await acquiring;
    } catch (error) {
      if (registry.isClosing) return refuse(ws, CloseCode.ServerShutdown, 'server shutting down');
      logger.error({ err: (error as Error).message, projectId }, 'room load failed; refusing the connection');
      return refuse(ws, CloseCode.ServerError, 'document could not be loaded');
    }
    if (closed) return registry.release(room);

    // Our step 1 (or what the load found beyond the head) and the answers to what the client sent meanwhile,
    // in one write. A client step 1 already here is answered before our own (as the stored head does): the
    // client is up to date once it applied our step 2, before it spends time answering our step 1 (encoding
    // its whole delete set; in a browser each frame is a task of its own, so that would come first). A new device
    // on a large document is the exception: its step 2 follows when Room.answerInSteps has encoded it.
    joined = true;
    const answerFirst = !greeted && early.some((data) => readStep1(data) !== null);
    socket.cork();
    try {
      const send = (d: Uint8Array) => {
        if (!output.admit(ws.bufferedAmount, d.byteLength)) {
          logger.info({ projectId, userId, waitingBytes: ws.bufferedAmount }, 'closing a sync connection too far behind its room');
          return refuse(ws, CloseCode.TooFarBehind, 'too far behind: reconnect to catch up');
        }
        turnWrites.hold(socket);
        ws.send(d);
      };
      const conn = room.join({ send, close: (c, r) => refuse(ws, c, r), get readyState() { return ws.readyState; } }, {
        userId,
        sessionId: auth.user.session_id,
        role,
        protocol: ws.protocol,
      }, greeted, { openSync: !answerFirst });
      greeted = undefined; // joined: the answer closure that shares it is replaced below
      const nowMs = deps.now ? deps.now() : Date.now();
      const expiresIn = Math.max(0, auth.expiresAt * 1000 - nowMs);
      const expiry = setTimeout(() => refuse(ws, CloseCode.TokenExpired, 'token expired'), Math.min(expiresIn, 2 ** 31 - 1));
      live = connections.add({
        userId,
        sessionId: auth.user.session_id,
        projectId,
        conn,
        close: (code, reason) => refuse(ws, code, reason),
        dispose: () => {
          clearTimeout(expiry);
          connections.remove(live!);
          room.leave(conn);
          registry.release(room);
        },
      });
      metrics?.openConnections.inc();

      const bucket = new TokenBucket(options.messagesPerSecond, options.messageBurst);
      onFrame = (data, isBinary) => {
        if (ws.readyState !== ws.OPEN) return;
        if (!isBinary) return refuse(ws, CloseCode.MalformedMessage, 'text frames are not part of the protocol');
        if (!bucket.take()) return refuse(ws, CloseCode.RateLimited, 'too many messages');
        try {
          room.receive(conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          logger.info({ projectId, userId, err: (error as Error).message }, 'closing a sync connection that broke the protocol');
          refuse(ws, typeof code === 'number' ? code : CloseCode.MalformedMessage, 'malformed message');
        }
      };
      for (const data of early.splice(0)) onFrame(data, true);
      if (answerFirst && ws.readyState === ws.OPEN) room.openSync(conn);
    } finally {
      socket.uncork();
    }
  }

  return {
    connections,
    async close() {
      server.off('upgrade', onUpgrade);
      heartbeat.stop();
      turnWrites.dispose();
      connections.dispose();
      await registry.closeAll(CloseCode.ServerShutdown, 'server shutting down');
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

function authToken(req: IncomingMessage): string | null {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return null;
  for (const p of header.split(',')) {
    const v = p.trim();
    if (v.startsWith(AUTH_SUBPROTOCOL_PREFIX) && v.length > AUTH_SUBPROTOCOL_PREFIX.length) return v.slice(AUTH_SUBPROTOCOL_PREFIX.length);
  }
  return null;
}

function originAllowed(origin: string, req: IncomingMessage, allowed: string[]): boolean {
  if (allowed.includes(origin)) return true;
  const host = req.headers.host;
  return !!host && (origin === `http://${host}` || origin === `https://${host}`);
}
