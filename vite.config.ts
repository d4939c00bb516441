import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

// One config for the client build (root: client/) and for every vitest project.
// Playwright specs (e2e/*.spec.ts) are never picked up by vitest: see test.projects include patterns.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Code shared by the start-up script and the lazy chunks (components/lazy.tsx) would otherwise be
        // split into a dozen small common chunks, each a request through the service worker before the app
        // can start. One chunk holds them; zod and the API schemas stay out of it (they load on first use).
        codeSplitting: {
          groups: [{ name: 'app', minShareCount: 2, test: (id: string) => !/node_modules[\\/]zod[\\/]|shared[\\/]schemas[\\/]/.test(id) }],
        },
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
