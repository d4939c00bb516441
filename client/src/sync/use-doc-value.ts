// Reading the Y.Doc from React: re-runs `read` after each document change and keeps the previous result
// when the new one is structurally equal, so unrelated edits do not re-render a component.
import { useCallback, useRef, useSyncExternalStore } from 'react';
import * as Y from 'yjs';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) {
    if (!(a instanceof Map || a instanceof Set) || !(b instanceof Map || b instanceof Set) || a.size !== b.size) return false;
    return deepEqual([...a.entries()], [...b.entries()]);
  }
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** `read(doc)`, kept current with the document. `deps` are the inputs of `read` besides the doc. */
export function useDocValue<T>(doc: Y.Doc, read: (doc: Y.Doc) => T, deps?: readonly unknown[]): T;
export function useDocValue<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, deps?: readonly unknown[]): T | undefined;
export function useDocValue<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, deps: readonly unknown[] = []): T | undefined {
  return useDocRead(doc, read, deps, null);
}

/**
 * True when the transaction changed anything inside one of the named top-level maps (at any depth).
 * Walks each changed type up to its root, as the board cache does for tasks.
 */
export function touchesMaps(doc: Y.Doc, tr: Y.Transaction, names: readonly string[]): boolean {
  const roots = new Set<unknown>(names.map((name) => doc.getMap(name)));
  for (const type of tr.changed.keys()) {
    let node = type;
    while (node._item !== null) {
      const parent = node._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      node = parent;
    }
    if (roots.has(node)) return true;
  }
  return false;
}

/**
 * Like useDocValue, but re-reads only after transactions that changed one of the top-level `maps`: a card
 * move (tasks map) then costs no re-read of every comment for the board's comment counts.
 */
export function useDocMapsValue<T>(doc: Y.Doc, maps: readonly string[], read: (doc: Y.Doc) => T): T {
  return useDocRead(doc, read, maps, maps) as T;
}

function useDocRead<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, deps: readonly unknown[], maps: readonly string[] | null): T | undefined {
  const cache = useRef<{ doc: Y.Doc | null; deps: readonly unknown[]; version: number; value: T | undefined } | null>(null);
  const version = useRef(0);
  const mapsKey = maps?.join('\n') ?? null;
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!doc) return () => {};
      const names = mapsKey === null ? null : mapsKey.split('\n');
      if (names === null) {
        const onUpdate = () => {
          version.current++;
          listener();
        };
        doc.on('update', onUpdate);
        return () => doc.off('update', onUpdate);
      }
      const onTransaction = (tr: Y.Transaction) => {
        if (!touchesMaps(doc, tr, names)) return;
        version.current++;
        listener();
      };
      doc.on('afterTransaction', onTransaction);
      return () => doc.off('afterTransaction', onTransaction);
    },
    [doc, mapsKey],
  );
  const getSnapshot = () => {
    const c = cache.current;
    const sameDeps = c !== null && c.doc === (doc ?? null) && c.deps.length === deps.length && c.deps.every((d, i) => Object.is(d, deps[i]));
    if (c && sameDeps && c.version === version.current) return c.value;
    const value = doc ? read(doc) : undefined;
    const stable = c && c.doc === (doc ?? null) && deepEqual(c.value, value) ? c.value : value;
    cache.current = { doc: doc ?? null, deps, version: version.current, value: stable };
    return stable;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}
