// The public reproduction from yjs issue #687 (https://github.com/yjs/yjs/issues/687, "Denial of Service
// vulnerability: run-length encoding can be exploited to lock JS threads"): a V2-encoded update whose
// run-length-encoded counts make yjs 13.6.33 loop for ever in Y.mergeUpdatesV2 and
// Y.encodeStateVectorFromUpdateV2 (Y.applyUpdateV2 throws "Invalid array length"; Y.applyUpdate of the
// same bytes as V1 returns at once). Kept here so the tests exercise every guarded path with the real bytes.
export const POISON_687 = Uint8Array.from(Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex'));
