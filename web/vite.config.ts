import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The server serves dist/ with a strict CSP (script-src 'self'; style-src 'self'), so the
// build must emit no inline script or style: everything goes into hashed files under assets/.
export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` talks to a running server (real or dev/mock-soundcheck.mjs) on SC_API.
    proxy: { '/api': process.env.SC_API ?? 'http://127.0.0.1:8080' },
    // The translation catalogs live at the repository root (../i18n), shared with the server.
    fs: { allow: ['.', '../i18n', '../data'] },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
