// CPU profiles of the browser's main thread (Chrome DevTools Protocol Profiler), mapped back to our sources
// through the build's source maps, so bench/profile-summary.ts names `parseTask shared/doc-model/parse.ts`
// instead of `Vm index-xyz.js:66`. Frames become file:// URLs under the repository root, as node's own
// profiles are, so the summary's "our code" share works on them unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { callFrame: CallFrame }[];
}

/**
 * Rewrites the frames of `profile` that point into `<clientDir>/assets/*.js` to their original source
 * position (and name, when the map has one).
 */
export function symbolicateProfile<T extends CpuProfile>(profile: T, clientDir: string): T {
  const consumers = new Map<string, SourceMapConsumer | null>();
  const consumerFor = (file: string) => {
    if (!consumers.has(file)) {
      const mapPath = join(clientDir, 'assets', `${file}.map`);
      consumers.set(file, existsSync(mapPath) ? new SourceMapConsumer(JSON.parse(readFileSync(mapPath, 'utf8')) as RawSourceMap) : null);
    }
    return consumers.get(file)!;
  };
  const assetsDir = join(clientDir, 'assets');
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const file = /\/assets\/([^/?#]+\.js)(?:[?#].*)?$/.exec(frame.url)?.[1];
    if (!file) continue;
    const consumer = consumerFor(file);
    if (!consumer) continue;
    // V8 positions are 0-based lines and columns; source maps take 1-based lines, 0-based columns.
    const pos = consumer.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
    if (!pos.source || pos.line === null) continue;
    frame.url = `file://${resolve(assetsDir, pos.source)}`;
    frame.lineNumber = pos.line - 1;
    frame.columnNumber = pos.column ?? 0;
    if (pos.name) frame.functionName = pos.name;
  }
  return profile;
}
