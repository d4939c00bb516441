// Debian's chromium (never a downloaded browser) and the launch flags that work with it here
// (../shared/STACK.md trap 12): one list for the Playwright specs and bench scenario 7.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
