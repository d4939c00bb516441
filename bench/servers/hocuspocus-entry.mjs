// Hocuspocus 4.7.0 as it ships with no extensions: in memory, default debounce and unload behaviour.
// Plain JavaScript so the process runs without a TypeScript loader, like a deployed hocuspocus.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
console.log(`hocuspocus listening on port ${server.address.port}`);
