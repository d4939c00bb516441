// Encoders for the frames a room sends. Every frame starts with its MessageType (shared/protocol.ts).
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
