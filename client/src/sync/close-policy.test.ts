import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../shared/protocol.ts';
import { LOCAL_UNREACHABLE_CODE } from './authed-socket.ts';
import { decideOnClose } from './close-policy.ts';

describe('close policy', () => {
  it('refreshes the token and reconnects after TokenExpired', () => {
    expect(decideOnClose(CloseCode.TokenExpired, 0)).toEqual({ reconnect: true, refreshToken: true, refreshRole: false, noAccess: false, shrinkFrames: false });
  });
  it('tries one refresh after Unauthenticated, then stops', () => {
    expect(decideOnClose(CloseCode.Unauthenticated, 1)).toMatchObject({ reconnect: true, refreshToken: true });
    expect(decideOnClose(CloseCode.Unauthenticated, 2)).toMatchObject({ reconnect: false });
  });
  it('stops on NotFound and reports no access', () => {
    expect(decideOnClose(CloseCode.NotFound, 0)).toEqual({ reconnect: false, refreshToken: false, refreshRole: true, noAccess: true, shrinkFrames: false });
  });
  it('re-reads the role after MembershipChanged and reconnects', () => {
    expect(decideOnClose(CloseCode.MembershipChanged, 0)).toMatchObject({ reconnect: true, refreshRole: true });
  });
  it('backs off and retries transient closes, stops on the ones retrying cannot fix', () => {
    for (const code of [1006, 1001, CloseCode.ServerError, CloseCode.ServerShutdown, CloseCode.TooFarBehind, CloseCode.RateLimited, LOCAL_UNREACHABLE_CODE]) {
      expect(decideOnClose(code, 0).reconnect, String(code)).toBe(true);
    }
    for (const code of [CloseCode.MalformedMessage, CloseCode.OriginNotAllowed]) {
      expect(decideOnClose(code, 0).reconnect, String(code)).toBe(false);
    }
  });
  it('lowers the frame limit and reconnects after MessageTooLarge (the caller stops at the minimum)', () => {
    expect(decideOnClose(CloseCode.MessageTooLarge, 0)).toEqual({ reconnect: true, refreshToken: false, refreshRole: false, noAccess: false, shrinkFrames: true });
  });
});
