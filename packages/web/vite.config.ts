import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Node's process, typed here so the web tsconfig needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

// The console is served by the Fastify server from dist/ (same origin), so API calls are
// relative. In development Vite proxies them to a server on port 3000 (or HAITANG_API_URL).
const apiTarget = process.env.HAITANG_API_URL ?? 'http://localhost:3000';
export default defineConfig({
  plugins: [react()],
  // @haitang/contracts is a workspace symlink exporting TypeScript sources: let Vite compile it
  // like our own code instead of pre-bundling it as a dependency.
  optimizeDeps: { exclude: ['@haitang/contracts'] },
  server: {
    port: 5173,
    proxy: {
      '/api': apiTarget,
      '/docs': apiTarget,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
