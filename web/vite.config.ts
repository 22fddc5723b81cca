/**
 * The web app's build: web/ -> dist/web, served by the server at `/` (src/http/web-app.ts). In
 * development (`npm run dev:web`) Vite proxies the API to a server on port 3000.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const api = { target: 'http://127.0.0.1:3000', changeOrigin: false };

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, '..', 'dist', 'web'),
    emptyOutDir: true,
    // The server reads it to preload each page's chunks with the page's HTML (src/http/web-app.ts).
    manifest: true,
    target: 'es2022',
    // Each page is its own chunk (React.lazy in routes.tsx); these libraries are shared by many.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': api, '/v1': api, '/legal': api, '/docs': api } },
});
