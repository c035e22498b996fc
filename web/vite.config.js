// The web app's build: Svelte 5 compiled by Vite into dist/ (make puts it
// in the build tree and installs it as $(pkgdatadir)/www). Hashed file names
// under assets/ are cached for a year by the web server; index.html is not.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// src/boot.js goes out as it is, a classic script under /assets/ with a
// hashed name (cached for good, kept by the service worker), named first in
// <head> (where index.html says <!-- boot.js -->), so that its requests
// go out before the app's module and styles take the connections. Vite bundles
// only module scripts, hence this small plugin.
function bootScript() {
  const source = readFileSync(new URL('./src/boot.js', import.meta.url), 'utf8');
  let name = '';
  return {
    name: 'partnerd-boot',
    apply: 'build',
    generateBundle() {
      name = this.getFileName(this.emitFile({ type: 'asset', name: 'boot.js', source }));
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace('<!-- boot.js -->', `<script src="/${name}"></script>`),
    },
  };
}

export default defineConfig({
  plugins: [svelte(), bootScript()],
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
