// Does an (already structurally checked) V1 update carry anything the document does not have yet?
// Used to tell a read-only connection's harmless messages (an empty sync step 2, a re-send of known
// content) from real write attempts, which are refused with permission-denied.
import * as Y from 'yjs';

interface DeleteRange {
  clock: number;
  len: number;
}

export function carriesNews(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update) as { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: { clients: Map<number, DeleteRange[]> } };
  for (const struct of decoded.structs) {
    // Skip structs only mark gaps; anything ending past our state for that client is new.
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (len === 0) continue;
      if (!structs || clock + len > state) return true;
      let i = Y.findIndexSS(structs, clock);
      while (i < structs.length) {
        const s = structs[i]!;
        if (s.id.clock >= clock + len) break;
        if (!s.deleted) return true;
        i++;
      }
    }
  }
  return false;
}
