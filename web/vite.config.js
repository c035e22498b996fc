// The web app's build: Svelte 5 compiled by Vite into dist/ (make puts it
// in the build tree and installs it as $(pkgdatadir)/www). Hashed file names
// under assets/ are cached for a year by the web server; index.html is not.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: process.env.PARTNERD_WEB_OUT || 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    // npm run dev: the API of a running `make run` stack.
    proxy: { '/api': process.env.PARTNERD_URL || 'http://127.0.0.1:8080' },
  },
});
