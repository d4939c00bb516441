// The V1 update format's primitives, read without building anything: lib0 integers, strings, `any` values
// and item contents. Shared by the structural check (update-check.ts) and the slicer (update-slices.ts); every
// loop consumes at least one input byte and every count is bounded by what is left of the input.
import { isUtf8 } from 'node:buffer';

const MAX_ANY_DEPTH = 64;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export class Malformed extends Error {}

export class Reader {
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
  skipString(): Uint8Array {
    const bytes = this.bytes();
    if (!isUtf8(bytes)) throw new Malformed('invalid UTF-8');
    return bytes;
  }

  /**
   * skipString, returning the string's length in UTF-16 code units: what JavaScript's `length`, and so a
   * ContentString's clock length, counts. One per character, two for one above U+FFFF (four UTF-8 bytes).
   */
  skipStringUnits(): number {
    const bytes = this.skipString();
    let units = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    return units;
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

/** Reads one item's content and returns its length in clock units (what the item adds to its client's clock). */
export function readItemContent(r: Reader, contentRef: number): number {
  switch (contentRef) {
    case 1: return r.varUint(); // ContentDeleted: length
    case 2: { // ContentJSON
      const n = r.count(1);
      for (let i = 0; i < n; i++) r.json();
      return n;
    }
    case 3: r.bytes(); return 1; // ContentBinary
    case 4: return r.skipStringUnits(); // ContentString
    case 5: r.json(); return 1; // ContentEmbed
    case 6: r.skipString(); r.json(); return 1; // ContentFormat: key, value
    case 7: { // ContentType
      const typeRef = r.varUint();
      if (typeRef > 6) throw new Malformed(`unknown type ref ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) r.skipString(); // XmlElement / XmlHook name
      return 1;
    }
    case 8: { // ContentAny
      const n = r.count(1);
      for (let i = 0; i < n; i++) r.any(0);
      return n;
    }
    case 9: throw new Malformed('subdocuments are not accepted');
    default: throw new Malformed(`unknown content ref ${contentRef}`);
  }
}
