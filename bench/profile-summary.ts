// `node --import tsx bench/profile-summary.ts <file.cpuprofile|dir>...`: prints the markdown summary of
// each CPU profile (the harness writes them with `npm run bench -- --profile`, and prints each server's
// start-up time, which --skip leaves out; --until=<ms since the profile started> ends the window there).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderProfile, summarizeProfile } from './lib/profile.ts';

function profiles(path: string): string[] {
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((f) => profiles(join(path, f)));
  return path.endsWith('.cpuprofile') ? [path] : [];
}

const args = process.argv.slice(2);
const skip = args.find((a) => a.startsWith('--skip='));
const skipMs = skip ? Number(skip.slice('--skip='.length)) : 0;
const until = args.find((a) => a.startsWith('--until='));
const untilMs = until ? Number(until.slice('--until='.length)) : undefined;
const files = args.filter((a) => !a.startsWith('--')).flatMap(profiles);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/profile-summary.ts [--skip=<ms of start-up to leave out>] [--until=<ms>] <file.cpuprofile | directory>...');
  process.exit(2);
}
for (const file of files) console.log(renderProfile(summarizeProfile(file, { skipMs, ...(untilMs !== undefined ? { untilMs } : {}) }), file));
