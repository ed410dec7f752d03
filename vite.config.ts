import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The browser app. Built into dist/web, which the API server serves (SPA fallback to index.html).
 * In development `vite` proxies /api to the server so the session cookie stays same-origin.
 */
export default defineConfig({
  plugins: [react()],
  publicDir: 'public',
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.API_PORT ?? 3000}`, changeOrigin: false } },
  },
});
