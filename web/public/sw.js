// partnerd's service worker: the app shell only, so the installed app opens
// without a network and loads fast. It never touches /api/: every answer
// of the server about people and photos goes to the network as HTTP caching
// allows, never into this cache. Pages (navigations) are network first,
// with the last index.html when offline; the hashed files under /assets/
// never change, so they are served from the cache once fetched, and those
// the current index.html no longer names are dropped.
const CACHE = 'partnerd-shell-v1';

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.add('/')).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

/* Keep only the assets the new index.html names. */
async function prune(cache, html) {
  const named = new Set([...html.matchAll(/\/assets\/[^"')\s]+/g)].map((m) => m[0]));
  for (const req of await cache.keys()) {
    const p = new URL(req.url).pathname;
    if (p.startsWith('/assets/') && !named.has(p)) await cache.delete(req);
  }
}

async function shell(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok && (res.headers.get('content-type') || '').startsWith('text/html')) {
      await cache.put('/', res.clone());
      prune(cache, await res.clone().text());
    }
    return res;
  } catch (err) {
    const cached = await cache.match('/');
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (e.request.mode === 'navigate') e.respondWith(shell(e.request));
  else if (url.pathname.startsWith('/assets/')) e.respondWith(asset(e.request));
});
