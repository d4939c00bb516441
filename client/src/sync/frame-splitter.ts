// Keeps every sync frame we send under the server's MAX_FRAME_BYTES (refused with 4413 MessageTooLarge).
//
// A device that was offline for long answers the server's sync step 1 with ONE step 2 holding all its
// changes, and a big paste is ONE update: either may exceed the limit. Such a frame is re-encoded as several
// sync update messages (y-protocols type 2, which every peer applies exactly like a step 2) that together
// carry the same Yjs content:
//   - the update is decoded with Y.decodeUpdate; each struct (Item / GC / Skip) is re-encoded unchanged with
//     Yjs's own writer (struct.write), so its bytes are what Yjs itself would write;
//   - a piece holds, per client, one run of structs with consecutive clocks (the V1 section format: count,
//     client, first clock, structs), at most one section per client, plus an empty delete set;
//   - the delete set goes first, in its own piece(s): deletions of items the server has are applied (and
//     acknowledged) at once; deletions of items still to come wait in Yjs's pendingDs and apply with them.
// Each piece is therefore a well-formed V1 update. Pieces whose items depend on items of a later piece are
// kept pending by Yjs (pendingStructs) and integrate when that piece arrives, in the same transaction, so the
// server persists them then; its saved vector only covers integrated structs, so a change counts as saved
// exactly when all the structs it needs are stored. Pieces go out in the original order on one socket.
//
// A struct that alone exceeds the limit (a gigantic pasted text: Yjs merges typed text into one item) cannot
// be split here. It is not sent (the server would close the socket and the client would resend it on every
// reconnect); the rest is, and the caller is told, so the status can say why the change is not saved.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { DEFAULT_MAX_FRAME_BYTES, MessageType, MIN_MAX_FRAME_BYTES } from '../../../shared/protocol.ts';

const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** Frames are kept this far under the server's limit (1/16, at least 64 bytes). */
export function frameBudget(serverLimit: number): number {
  return serverLimit - Math.max(64, Math.floor(serverLimit / 16));
}

/** A struct that does not fit in one frame on its own. */
export interface UnsendableStruct {
  client: number;
  clock: number;
  length: number;
  bytes: number;
}

export interface SplitResult {
  /** Complete Yjs V1 updates, in sending order. */
  pieces: Uint8Array[];
  unsendable: UnsendableStruct[];
}

function varUintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Bytes of a sync update frame carrying `payload` bytes: message type, sync step, length, payload. */
function frameSize(payload: number): number {
  return 1 + 1 + varUintSize(payload) + payload;
}

interface Section {
  client: number;
  clock: number;
  /** Clock just past the section's last struct. */
  end: number;
  structs: Uint8Array[];
  bytes: number;
}

function encodeStruct(struct: Y.Item | Y.GC | Y.Skip): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  struct.write(encoder, 0);
  return encoder.toUint8Array();
}

function sectionSize(s: Section): number {
  return varUintSize(s.structs.length) + varUintSize(s.client) + varUintSize(s.clock) + s.bytes;
}

function encodePiece(sections: Section[], ds: [number, { clock: number; len: number }[]][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, sections.length);
  for (const s of sections) {
    encoding.writeVarUint(e, s.structs.length);
    encoding.writeVarUint(e, s.client);
    encoding.writeVarUint(e, s.clock);
    for (const b of s.structs) encoding.writeUint8Array(e, b);
  }
  encoding.writeVarUint(e, ds.length);
  for (const [client, ranges] of ds) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const r of ranges) {
      encoding.writeVarUint(e, r.clock);
      encoding.writeVarUint(e, r.len);
    }
  }
  return encoding.toUint8Array(e);
}

/**
 * Splits a Yjs V1 update into updates whose sync frames are each at most `maxFrameBytes`.
 * Throws if `update` is not a readable V1 update.
 */
export function splitUpdate(update: Uint8Array, maxFrameBytes: number): SplitResult {
  const { structs, ds } = Y.decodeUpdate(update);
  const pieces: Uint8Array[] = [];
  const unsendable: UnsendableStruct[] = [];

  // Delete set first. An entry is client + count + ranges; ranges of one client may spread over pieces.
  const dsEntries: [number, { clock: number; len: number }[]][] = [];
  let dsBytes = 1; // the number of clients
  const flushDs = () => {
    if (dsEntries.length) pieces.push(encodePiece([], dsEntries.splice(0)));
    dsBytes = 1;
  };
  const limit = (payload: number) => frameSize(payload + 1) <= maxFrameBytes; // + the empty struct section count
  for (const [client, items] of ds.clients) {
    let ranges: { clock: number; len: number }[] = [];
    let entryBytes = varUintSize(client) + 5; // + ranges count, upper bound
    for (const item of items) {
      const rangeBytes = varUintSize(item.clock) + varUintSize(item.len);
      if (!limit(dsBytes + entryBytes + rangeBytes)) {
        if (ranges.length) dsEntries.push([client, ranges]);
        flushDs();
        ranges = [];
        entryBytes = varUintSize(client) + 5;
      }
      ranges.push({ clock: item.clock, len: item.len });
      entryBytes += rangeBytes;
    }
    if (ranges.length) {
      dsEntries.push([client, ranges]);
      dsBytes += entryBytes;
    }
  }
  flushDs();

  // Then the structs, packed greedily in their original order.
  let sections: Section[] = [];
  let payload = 5 + 1; // section count (upper bound) + empty delete set
  const flush = () => {
    if (sections.length) pieces.push(encodePiece(sections, []));
    sections = [];
    payload = 6;
  };
  for (const struct of structs) {
    const bytes = encodeStruct(struct);
    const client = struct.id.client;
    const clock = struct.id.clock;
    const alone = 6 + varUintSize(1) + varUintSize(client) + varUintSize(clock) + bytes.length;
    if (frameSize(alone) > maxFrameBytes) {
      unsendable.push({ client, clock, length: struct.length, bytes: bytes.length });
      // The client's next struct starts a new section (clocks must be consecutive within one).
      const last = sections[sections.length - 1];
      if (last && last.client === client) last.end = -1;
      continue;
    }
    const last = sections[sections.length - 1];
    if (last && last.client === client && last.end === clock) {
      const before = sectionSize(last);
      last.structs.push(bytes);
      last.bytes += bytes.length;
      last.end = clock + struct.length;
      const grown = payload - before + sectionSize(last);
      if (frameSize(grown) <= maxFrameBytes) {
        payload = grown;
        continue;
      }
      // Does not fit: take it back out and open a new piece with it.
      last.structs.pop();
      last.bytes -= bytes.length;
      last.end = clock;
      flush();
    } else if (sections.some((s) => s.client === client)) {
      // One section per client and piece: Yjs keeps only the last section of a client it reads.
      flush();
    }
    const section: Section = { client, clock, end: clock + struct.length, structs: [bytes], bytes: bytes.length };
    if (frameSize(payload + sectionSize(section)) > maxFrameBytes) flush();
    sections.push(section);
    payload += sectionSize(section);
  }
  flush();
  return { pieces, unsendable };
}

/** Wraps a Yjs update as a y-protocols sync update message. */
export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, SYNC_UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/**
 * Frames to send instead of `frame` so that none exceeds `maxFrameBytes`. Returns null when `frame` fits
 * or is not a sync step 2 / update (those are sent as they are).
 */
export function splitSyncFrame(frame: Uint8Array, maxFrameBytes: number): { frames: Uint8Array[]; unsendable: UnsendableStruct[] } | null {
  if (frame.byteLength <= maxFrameBytes) return null;
  let update: Uint8Array;
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return null;
    const step = decoding.readVarUint(decoder);
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return null;
    update = decoding.readVarUint8Array(decoder);
  } catch {
    return null;
  }
  let split: SplitResult;
  try {
    split = splitUpdate(update, maxFrameBytes);
  } catch {
    return null; // not a readable update: sent as it is, the server answers it (MalformedMessage)
  }
  const { pieces, unsendable } = split;
  return { frames: pieces.map(syncUpdateFrame), unsendable };
}

/**
 * What this client assumes the server's frame limit to be. Starts at the server default; a 4413 from a
 * server configured lower halves it (down to the smallest limit a server accepts).
 */
export class FrameLimit {
  constructor(
    public serverLimit: number = DEFAULT_MAX_FRAME_BYTES,
    /** Called when a frame held structs too large to send at any split. */
    public onUnsendable: ((structs: UnsendableStruct[]) => void) | null = null,
  ) {}

  /** The largest frame we send. */
  get budget(): number {
    return frameBudget(this.serverLimit);
  }

  /** The server refused a frame as too large. Returns false when the limit cannot go lower. */
  shrink(): boolean {
    if (this.serverLimit <= MIN_MAX_FRAME_BYTES) return false;
    this.serverLimit = Math.max(MIN_MAX_FRAME_BYTES, Math.floor(this.serverLimit / 2));
    return true;
  }
}
