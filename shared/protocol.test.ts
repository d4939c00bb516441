// Pins the wire contract. If this fails you changed what clients and integrations rely on: keep old values
// working, bump PROTOCOL_VERSION with a line in protocol.ts's history, and update README's protocol section.
import { describe, expect, it } from 'vitest';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  CloseCode,
  closeCodeName,
  FATAL_CLOSE_CODES,
  MessageType,
  PROTOCOL_VERSION,
  REFRESH_AND_RETRY_CODES,
  SUBPROTOCOL_FIELDBOARD,
  SUBPROTOCOL_YJS,
} from './protocol.ts';

/** y-websocket 3.x's default: stop reconnecting for 4400-4499, retry for anything else. */
const stockClientStops = (code: number) => code >= 4400 && code < 4500;

describe('wire protocol', () => {
  it('keeps version, subprotocols and message types', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect([SUBPROTOCOL_FIELDBOARD, SUBPROTOCOL_YJS, AUTH_SUBPROTOCOL_PREFIX]).toEqual(['fieldboard.v1', 'y-websocket', 'auth.']);
    expect(MessageType).toEqual({ Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, Saved: 100 });
  });

  it('keeps every close code, each unique and in the application range', () => {
    expect(CloseCode).toEqual({
      Unauthenticated: 4401,
      TokenExpired: 4402,
      OriginNotAllowed: 4403,
      NotFound: 4404,
      MalformedMessage: 4400,
      MessageTooLarge: 4413,
      RateLimited: 4429,
      MembershipChanged: 4005,
      ServerError: 4500,
      ServerShutdown: 4503,
      TooFarBehind: 4509,
    });
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code >= 4000 && code <= 4999).toBe(true);
    for (const name of Object.keys(CloseCode) as (keyof typeof CloseCode)[]) expect(closeCodeName(CloseCode[name])).toBe(name);
    expect(closeCodeName(1000)).toBeUndefined();
  });

  it('makes stock y-websocket clients stop on refusals and retry on transient closes', () => {
    for (const code of [...FATAL_CLOSE_CODES, ...REFRESH_AND_RETRY_CODES, CloseCode.RateLimited]) expect(stockClientStops(code)).toBe(true);
    for (const code of [CloseCode.MembershipChanged, CloseCode.ServerError, CloseCode.ServerShutdown, CloseCode.TooFarBehind]) expect(stockClientStops(code)).toBe(false);
  });
});
