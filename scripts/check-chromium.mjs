#!/usr/bin/env node
// Browser tests need Debian's chromium (never a downloaded browser). Fail loudly, never skip.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `\nNo Chromium found at ${path}.\n` +
      'Browser tests need one. On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
      'Or point CHROMIUM_PATH at an existing Chromium/Chrome binary.\n',
  );
  process.exit(1);
}
