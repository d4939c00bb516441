// `node --import tsx bench/profile-summary.ts <file.cpuprofile|dir>...`: prints the markdown summary of
// each CPU profile (the harness writes them with `npm run bench -- --profile`).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderProfile, summarizeProfile } from './lib/profile.ts';

function profiles(path: string): string[] {
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((f) => profiles(join(path, f)));
  return path.endsWith('.cpuprofile') ? [path] : [];
}

const files = process.argv.slice(2).flatMap(profiles);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile | directory>...');
  process.exit(2);
}
for (const file of files) console.log(renderProfile(summarizeProfile(file), file));
