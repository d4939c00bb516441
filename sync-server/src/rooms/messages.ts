// Encoders for the frames a room sends, and a reader for the client's sync step 1. Every frame starts with its
// MessageType (shared/protocol.ts).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '../../../shared/protocol.ts';

/** y-protocols/sync sub-types. */
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

export function awarenessFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

/** y-protocols/auth permission-denied: the client logs it and knows its write was not accepted. */
export function permissionDeniedFrame(reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
  });
}

/** fieldboard.v1 only: the persisted state vector (see MessageType.Saved). */
export function savedFrame(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Saved);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** The state vector of a sync step 1 frame; null for any other or unreadable frame. */
export function readStep1(frame: Uint8Array): Uint8Array | null {
  try {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MessageType.Sync || decoding.readVarUint(d) !== SyncStep.Step1) return null;
    const vector = decoding.readVarUint8Array(d);
    return decoding.hasContent(d) ? null : vector;
  } catch {
    return null;
  }
}
