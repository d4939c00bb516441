import { randomUUID } from 'node:crypto';
import { docStoreContract } from './doc-store-contract.ts';
import { MemoryDocStore } from './memory-doc-store.ts';

const store = new MemoryDocStore();
docStoreContract('in-memory', { store: () => store, newProject: async () => randomUUID() });
