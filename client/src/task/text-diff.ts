// Minimal text diffs between a textarea and a Y.Text, and caret mapping through remote changes.
// Replacing the whole Y.Text on each keystroke would turn two people typing at once into "last writer
// wins"; applying only the changed range lets Yjs merge both.

export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

function isHighSurrogate(code: number) {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The single changed range that turns `before` into `after`. `caret` (the caret in `after` right after the
 * edit) resolves ambiguity: typing "a" into "aa" at the start is an insert at 0, not at 2.
 * Never splits a surrogate pair.
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
  if (before === after) return null;
  const maxSuffix = caret === undefined ? Infinity : Math.max(0, after.length - caret);
  let suffix = 0;
  while (
    suffix < maxSuffix &&
    suffix < before.length &&
    suffix < after.length &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  let prefix = 0;
  while (
    prefix < before.length - suffix &&
    prefix < after.length - suffix &&
    before.charCodeAt(prefix) === after.charCodeAt(prefix)
  ) {
    prefix++;
  }
  // Keep surrogate pairs whole on both ends of the range.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - suffix - prefix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

export function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove);
}

/** A Y.Text event delta (retain / insert / delete ops in order). */
export type TextDelta = ReadonlyArray<{ retain?: number; insert?: unknown; delete?: number }>;

/**
 * Where a caret at `position` ends up after a remote change. Text inserted exactly at the caret goes after
 * it, so a collaborator typing where you stand does not push your caret along.
 */
export function mapPosition(position: number, delta: TextDelta): number {
  let oldIndex = 0;
  let mapped = position;
  for (const op of delta) {
    if (oldIndex >= position && op.insert === undefined) break;
    if (op.retain !== undefined) {
      oldIndex += op.retain;
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (oldIndex < position) mapped += length;
    } else if (op.delete !== undefined) {
      if (oldIndex < position) mapped -= Math.min(op.delete, position - oldIndex);
      oldIndex += op.delete;
    }
  }
  return Math.max(0, mapped);
}
