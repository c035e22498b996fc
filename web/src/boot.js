// boot.js: the first screen's API requests, started the moment the page's
// HTML is read, while the app's own script is still arriving and compiling
// (150-250 ms of a first visit). It is a classic script in <head>, emitted
// under /assets/ with a hashed name by vite.config.js, and knows nothing of
// the app: the app adopts these answers (src/lib/prefetch.js), and where one
// failed it asks again through @immich/sdk, whose error it then shows.
// The timeline query here is MAIN_TIMELINE's (src/lib/timeline.svelte.js).
(() => {
  const json = (url) => {
    const p = fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${url}: ${r.status}`))));
    p.catch(() => {});	// the app sees the rejection when it adopts p
    return p;
  };
  const early = (window.partnerdEarly = { config: json('/api/server/config') });
  if (!document.cookie.split('; ').some((c) => c.startsWith('immich_is_authenticated=true'))) return;
  early.me = json('/api/users/me');
  if (!/^\/(photos\/?)?$/.test(location.pathname)) return;
  const query = 'visibility=timeline&withPartners=true';
  const bucket = (key) => json(`/api/timeline/bucket?${query}&timeBucket=${encodeURIComponent(key)}`);
  early.months = json(`/api/timeline/buckets?${query}`);
  // The newest month, as { key, assets } (null for an empty library). The
  // app remembers it (NEWEST_MONTH in src/lib/timeline.svelte.js): asked
  // for at once, a returning visitor's month does not wait for the months.
  let guess = null;
  try { guess = localStorage.getItem('partnerd.newestMonth'); } catch { /* storage off */ }
  const guessed = guess && bucket(guess);
  early.month = early.months.then((b) => {
    if (!b.length) return null;
    const key = b[0].timeBucket;
    return (key === guess ? guessed : bucket(key)).then((assets) => {
      preloadFirstScreen(assets);
      return { key, assets };
    });
  });
  early.month.catch(() => {});

  // The thumbnails of the first screen, asked for the moment the month is
  // here rather than once the app has drawn it (the app's first render is
  // the longest task of a first visit): <link rel=preload>, which the
  // grid's <img> then takes over (same URL, as src/lib/api.js makes it),
  // also with the browser's cache off. How many: rows of the grid's target
  // height (Timeline.svelte: 235 px, 120 px on a phone; 4 px apart) filled
  // with the photos' widths until the window's height is covered; the
  // justified layout adjusts rows by at most a quarter, so this is the
  // screen's photos, give or take the last row's.
  const TOP = 110;	// px above the first row: the app's bar and the month's heading
  function preloadFirstScreen(a) {
    const w = window.innerWidth, h = window.innerHeight;	// (no layout: the page does not scroll)
    const phone = w < 600, row = phone ? 120 : 235, width = w - (phone ? 56 : 88);
    let rows = Math.ceil((h - TOP) / (row + 4)), x = 0, n = 0;
    for (; n < a.id.length && rows > 0; n++) {
      const b = (a.ratio[n] > 0 ? a.ratio[n] : 1) * row + 4;
      x += b;
      if (x < width) continue;
      rows--;	// a photo that overshoots the row by more than half starts the next
      if (x - width > b / 2) { x = b; if (!rows) break; } else x = 0;
    }
    for (const id of a.id.slice(0, n)) {
      const l = document.createElement('link');
      l.rel = 'preload';
      l.as = 'image';
      l.href = `/api/assets/${id}/thumbnail?size=thumbnail`;
      l.fetchPriority = 'high';
      document.head.append(l);
    }
  }
})();
