import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.MAATLAT_API ?? 'http://localhost:3000';

// The API serves the built files at `/` under a strict CSP (no inline script or style): Vite's
// output is external modules and stylesheets only. `npm run dev:web` proxies the API's paths.
export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { '@maatlat/shared/charts': fileURLToPath(new URL('../../libs/shared/charts/src/index.ts', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', modulePreload: { polyfill: false } },
  server: { proxy: { '/v1': api, '/app-config.json': api, '/health': api, '/ready': api } },
});
