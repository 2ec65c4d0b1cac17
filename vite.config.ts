import { defineConfig } from 'vite';

// The demo site. `npm start` serves it; PORT picks the port (default 5173).
export default defineConfig({
  root: 'demo',
  resolve: { conditions: ['source'] },
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    // Cross-origin isolation enables threaded WASM (SharedArrayBuffer).
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  preview: {
    port: Number(process.env.PORT ?? 4173),
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  worker: { format: 'es' },
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
});
