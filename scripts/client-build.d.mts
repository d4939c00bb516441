// Types of scripts/client-build.mjs (plain JavaScript so `npm start` needs no TypeScript loader).
export declare const ROOT: string;
export declare const DEFAULT_CLIENT_DIR: string;
export declare function clientIsStale(outDir?: string): boolean;
export declare function buildClient(outDir?: string): number;
export declare function ensureClientBuilt(outDir?: string): 'fresh' | 'built';
