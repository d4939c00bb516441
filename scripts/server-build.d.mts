// Types of scripts/server-build.mjs (plain JavaScript so `npm start` needs no TypeScript loader).
export declare const SERVER_ENTRY: string;
export declare const SERVER_BUNDLE: string;
/** Node flags for the server process; `cpus` defaults to what its CPU affinity allows. */
export declare function serverNodeFlags(cpus?: number): string[];
export declare function serverIsStale(): boolean;
export declare function buildServer(): Promise<void>;
export type MallocTrimBuild = { status: 'fresh' | 'built' } | { status: 'skipped'; reason: string };
export declare function ensureServerBuilt(): Promise<{ server: 'fresh' | 'built'; mallocTrim: MallocTrimBuild }>;
