// Structural pre-checks for every untrusted Yjs byte string before any Yjs/lib0 decoder touches it.
//
// Why: yjs issue #687 (https://github.com/yjs/yjs/issues/687, open against 13.6.33) shows that crafted bytes
// exploit run-length and length-prefixed encodings so the decoder loops for ever or allocates without bound
// (`new Array(numberOfStructs)` with a huge count, mergeUpdatesV2 / encodeStateVectorFromUpdateV2 looping).
// We only speak V1 on the wire and in storage, so anything that is not a structurally valid V1 update is
// refused here, in one linear pass whose every loop consumes at least one input byte. After this check the
// V1 decoder cannot loop longer than the input, cannot be asked to allocate arrays larger than the input,
// and cannot hit a decoding error half-way (truncation, bad UTF-8, bad JSON, unknown type refs), which would
// leave a partially applied transaction because yjs integrates the structs before it reads the delete set.
// Yjs may still refuse a structurally sound but semantically odd update (a seeded fuzz test measures that it
// does so quickly); callers catch that and close the connection.
//
// Also refused: ContentDoc (subdocuments; our document model never writes them and the server would
// otherwise instantiate nested Y.Docs from client bytes) and nesting deeper than MAX_ANY_DEPTH.

import { isUtf8 } from 'node:buffer';

export type CheckResult = { ok: true } | { ok: false; reason: string };

const MAX_ANY_DEPTH = 64;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

class Malformed extends Error {}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    if (this.pos >= this.buf.length) throw new Malformed('unexpected end');
    return this.buf[this.pos++]!;
  }

  /** lib0 varUint, limited to safe integers (lib0 itself throws above 53 bits). */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < 8; i++) {
      const r = this.u8();
      num += (r & 0x7f) * mult;
      if (r < 0x80) {
        if (num > Number.MAX_SAFE_INTEGER) throw new Malformed('integer out of range');
        return num;
      }
      mult *= 128;
    }
    throw new Malformed('varUint too long');
  }

  /** lib0 varInt: sign bit in the first byte, 6 payload bits, then 7 bits per byte. */
  varInt(): void {
    let r = this.u8();
    for (let i = 0; r & 0x80; i++) {
      if (i >= 8) throw new Malformed('varInt too long');
      r = this.u8();
    }
  }

  /** A count of elements that each take at least `minBytes`: bounded by what is left of the input. */
  count(minBytes = 1): number {
    const n = this.varUint();
    if (n * minBytes > this.remaining) throw new Malformed('count larger than the rest of the input');
    return n;
  }

  bytes(): Uint8Array {
    const len = this.varUint();
    if (len > this.remaining) throw new Malformed('length past end');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(n: number): void {
    if (n > this.remaining) throw new Malformed('unexpected end');
    this.pos += n;
  }

  string(): string {
    try {
      return fatalUtf8.decode(this.bytes());
    } catch (error) {
      if (error instanceof Malformed) throw error;
      throw new Malformed('invalid UTF-8');
    }
  }

  /**
   * Checks a string whose value the check does not need, without building it: a 10 kB update of text would
   * otherwise leave 10 kB of decoded strings behind as garbage on every frame (the room decodes it again
   * when it applies the update). isUtf8 and the fatal TextDecoder accept exactly the same bytes (WHATWG UTF-8).
   */
  skipString(): void {
    if (!isUtf8(this.bytes())) throw new Malformed('invalid UTF-8');
  }

  json(): void {
    const text = this.string();
    // yjs stores `undefined` as the literal string in ContentJSON.
    if (text === 'undefined') return;
    try {
      JSON.parse(text);
    } catch {
      throw new Malformed('invalid JSON');
    }
  }

  any(depth: number): void {
    if (depth > MAX_ANY_DEPTH) throw new Malformed('nesting too deep');
    const type = this.u8();
    switch (type) {
      case 127: case 126: case 121: case 120: return;
      case 125: return this.varInt();
      case 124: return this.skip(4);
      case 123: case 122: return this.skip(8);
      case 119: this.skipString(); return;
      case 118: {
        const n = this.count(2);
        for (let i = 0; i < n; i++) {
          this.skipString();
          this.any(depth + 1);
        }
        return;
      }
      case 117: {
        const n = this.count(1);
        for (let i = 0; i < n; i++) this.any(depth + 1);
        return;
      }
      case 116: this.bytes(); return;
      default: throw new Malformed(`unknown value type ${type}`);
    }
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new Malformed('trailing bytes');
  }
}

function readItemContent(r: Reader, contentRef: number): void {
  switch (contentRef) {
    case 1: r.varUint(); return; // ContentDeleted: length
    case 2: { // ContentJSON
      const n = r.count(1);
      for (let i = 0; i < n; i++) r.json();
      return;
    }
    case 3: r.bytes(); return; // ContentBinary
    case 4: r.skipString(); return; // ContentString
    case 5: r.json(); return; // ContentEmbed
    case 6: r.skipString(); r.json(); return; // ContentFormat: key, value
    case 7: { // ContentType
      const typeRef = r.varUint();
      if (typeRef > 6) throw new Malformed(`unknown type ref ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) r.skipString(); // XmlElement / XmlHook name
      return;
    }
    case 8: { // ContentAny
      const n = r.count(1);
      for (let i = 0; i < n; i++) r.any(0);
      return;
    }
    case 9: throw new Malformed('subdocuments are not accepted');
    default: throw new Malformed(`unknown content ref ${contentRef}`);
  }
}

function readUpdateV1(r: Reader): void {
  const clients = r.count(3);
  for (let c = 0; c < clients; c++) {
    const structs = r.count(2);
    r.varUint(); // client
    r.varUint(); // clock
    for (let s = 0; s < structs; s++) {
      const info = r.u8();
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        r.varUint(); // GC / Skip length
        continue;
      }
      if (info & 0x80) { r.varUint(); r.varUint(); } // origin
      if (info & 0x40) { r.varUint(); r.varUint(); } // right origin
      if ((info & 0xc0) === 0) {
        const parentInfo = r.varUint();
        if (parentInfo === 1) r.skipString(); // root type name
        else { r.varUint(); r.varUint(); } // parent item id
        if (info & 0x20) r.skipString(); // parentSub (map key)
      }
      readItemContent(r, ref);
    }
  }
  const dsClients = r.count(2);
  for (let c = 0; c < dsClients; c++) {
    r.varUint(); // client
    const ranges = r.count(2);
    for (let i = 0; i < ranges; i++) {
      r.varUint(); // clock
      r.varUint(); // length
    }
  }
}

function run(bytes: Uint8Array, fn: (r: Reader) => void): CheckResult {
  const r = new Reader(bytes);
  try {
    fn(r);
    r.end();
    return { ok: true };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    // RangeError (stack) or anything unexpected: refuse rather than pass it on.
    return { ok: false, reason: (error as Error).message || 'unreadable' };
  }
}

/** Is `bytes` a complete, well-formed Yjs V1 update that the V1 decoder reads in linear time? */
export function checkUpdateV1(bytes: Uint8Array): CheckResult {
  if (bytes.length < 2) return { ok: false, reason: 'too short for an update' };
  return run(bytes, readUpdateV1);
}

/** Is `bytes` a well-formed encoded state vector (sync step 1 payload)? */
export function checkStateVector(bytes: Uint8Array): CheckResult {
  return run(bytes, (r) => {
    const n = r.count(2);
    for (let i = 0; i < n; i++) {
      r.varUint();
      r.varUint();
    }
  });
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null = the state is being removed. */
  state: unknown;
}

/** Parses a y-protocols awareness update; returns null when it is malformed. */
export function parseAwarenessUpdate(bytes: Uint8Array): AwarenessEntry[] | null {
  const entries: AwarenessEntry[] = [];
  const result = run(bytes, (r) => {
    const n = r.count(3);
    for (let i = 0; i < n; i++) {
      const clientId = r.varUint();
      const clock = r.varUint();
      const text = r.string();
      let state: unknown;
      try {
        state = JSON.parse(text);
      } catch {
        throw new Malformed('invalid awareness JSON');
      }
      entries.push({ clientId, clock, state });
    }
  });
  return result.ok ? entries : null;
}
