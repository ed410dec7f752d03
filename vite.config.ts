import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './scripts/vite-precompress.js';

/** Libraries the first screen needs, each in its own long-lived chunk (they change less often than the app). */
const vendorChunks = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
  { name: 'mantine', test: /[\\/]node_modules[\\/]@mantine[\\/](core|hooks)[\\/]/, priority: 20 },
  {
    name: 'vendor',
    test: /[\\/]node_modules[\\/](react-router|@tanstack|i18next|react-i18next|use-sync-external-store)[\\/]/,
    priority: 10,
  },
];

/**
 * The browser app. Built into dist/web, which the API server serves (SPA fallback to index.html), with a
 * brotli and a gzip copy beside each asset. In development `vite` proxies /api to the server so the
 * session cookie stays same-origin.
 */
export default defineConfig({
  plugins: [react(), precompress()],
  publicDir: 'public',
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Only what the entry imports statically: Mantine components used by lazy pages alone stay in
          // those pages' chunks, so the login screen does not download them.
          groups: vendorChunks.map((group) => ({ ...group, tags: ['$initial' as const] })),
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.API_PORT ?? 3000}`, changeOrigin: false } },
  },
});
