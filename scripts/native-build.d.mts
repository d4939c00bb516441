// Types of scripts/native-build.mjs (plain JavaScript so `npm start` needs no TypeScript loader).
import type { MallocTrimBuild } from './server-build.d.mts';
export declare const MALLOC_TRIM_SOURCE: string;
export declare const MALLOC_TRIM_ADDON: string;
export declare function ensureMallocTrimBuilt(options?: { out?: string; cc?: string }): MallocTrimBuild;
