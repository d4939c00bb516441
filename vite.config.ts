import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Vite writes `<script type="module" crossorigin src=…>` for the entry whatever the output format; the iife
 * bundle (see build.rolldownOptions) must load as a classic script to get its code cache. `defer` keeps the
 * module script's timing: fetched in parallel, run once the document is parsed.
 */
function classicEntryScript(): Plugin {
  return {
    name: 'fieldboard:classic-entry-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const out = html.replace(/<script type="module" crossorigin src="([^"]+)"><\/script>/g, '<script defer src="$1"></script>');
        if (/<script type="module"/.test(out)) throw new Error('fieldboard:classic-entry-script: index.html still has a module script');
        return out;
      },
    },
  };
}

// One config for the client build (root: client/) and for every vitest project.
// Playwright specs (e2e/*.spec.ts) are never picked up by vitest: see test.projects include patterns.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // ONE classic script (iife), not ES modules: Chromium consumes a V8 code cache only for classic scripts
    // here. The service worker's precache (cache.put during install) stores a full code cache beside every
    // script, but a module script is always compiled from scratch off the main thread, its cache never
    // read (Blink's script_streamer.cc: "ModuleScript doesn't support off-thread cache consumption"; and
    // the install-time cache is compiled as a classic script, which V8 rejects for a module). As a classic
    // script the cold open deserializes that cache (~13 ms off the main thread for the whole app, measured)
    // instead of parsing and compiling ~620 kB and then lazily compiling what runs. Dynamic imports are
    // inlined: the lazy screens' modules (components/lazy.tsx, api/schemas.ts) are still evaluated only on
    // first use, they just ship in the same file.
    modulePreload: false,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 1024, // the one script is ~760 kB minified, on purpose (above)
    rolldownOptions: {
      output: { format: 'iife', codeSplitting: false, strict: true },
      onLog(level, log, handler) {
        // Vite's preload helper reads import.meta only to preload a dynamic import's dependencies; with the
        // imports inlined and modulePreload off it has none. Any other import.meta is still reported.
        if (log.code === 'EMPTY_IMPORT_META' && log.id?.includes('vite/preload-helper')) return;
        handler(level, log);
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/sync': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
  plugins: [
    react(),
    classicEntryScript(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false, // client/public/manifest.webmanifest is the single source of the manifest
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/health/, /^\/ready/, /^\/metrics/],
        cleanupOutdatedCaches: true,
        // The first install takes control of the open page at once, so even a reload of that very first
        // visit works offline. Updates still wait for the user (registerType 'prompt': no skipWaiting).
        clientsClaim: true,
      },
    }),
  ],
  test: {
    root: '.',
    projects: [
      {
        test: {
          name: 'node',
          root: '.',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'sync-server/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'client',
          root: '.',
          environment: 'happy-dom',
          include: ['client/src/**/*.test.ts', 'client/src/**/*.test.tsx'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
