// bench.mjs: the web app's figures for 'make bench' (tests/bench.sh runs it
// on the bench library, through nginx, in Chromium's headless shell):
//   - the JavaScript and CSS the timeline page loads for its first screen,
//     as sent (gzip);
//   - navigation to the first screen of thumbnails painted, on a first
//     visit, on a return visit with the browser's cache off, and on one
//     with it on; and, for scale, the same number of thumbnails on a
//     static page (the browser's own floor);
//   - a jump with the scrubber to a month, until its thumbnails are painted;
//   - the JS heap and the DOM after scrolling through SCROLL photos.
// Prints one "name value unit" line per figure on stdout (tests/bench.sh
// tabulates them); progress goes to stderr.
// Environment: BENCH_URL (http: or https:, whose certificate is not
// checked: the bench stack's own), BENCH_EMAIL, BENCH_PASSWORD; BENCH_SCROLL
// (20000; 0 leaves out the long scroll), BENCH_RUNS (5), PARTNERD_CHROMIUM.
import { chromium } from 'playwright-core';

const env = process.env;
const BASE = env.BENCH_URL;
const SCROLL = Number(env.BENCH_SCROLL || 20000);
const RUNS = Number(env.BENCH_RUNS || 5);
const VIEWPORT = { width: 1280, height: 800 };
const log = (s) => process.stderr.write(`bench.mjs: ${s}\n`);
const out = (name, value, unit) => console.log(`${name} ${value} ${unit}`);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

// In the page (a function, as the page's Content-Security-Policy allows no
// eval): false until every tile that intersects the timeline's scroll area
// (the window less the app's bar, which hides what scrolls under it) has
// had its thumbnail painted (and there is at least one), then { ms }: the
// last of those paints, since the navigation began, or with { jump } since
// the scrubber's pointerdown once the view has left scrollTop jump.from.
// The paint times are the browser's own (Element Timing: the tiles' <img>
// carry elementtiming, and PAINTS below records each one's renderTime), not
// the moment a script sees the image loaded: an <img> is complete some
// 50-70 ms before the frame that shows it is presented on this VM, and a
// watch run every frame would take main-thread time from the page it
// measures. So the page is looked at every POLL ms only, which does not
// change the figure, only when it is read.
const POLL = 100;
function painted(arg) {
  const s = document.querySelector('.scroller');
  if (!s || (arg && s.scrollTop === arg.from)) return false;
  let last = 0, n = 0;
  for (const t of window.__onScreen()) {
    const i = t.querySelector('img');
    let at = window.__paints.get(i);
    // Chromium reports an image's first paint only if it lands in the
    // viewport: one painted just outside it (drawn around the view) and
    // brought in later, by a scroll or a layout, has no entry. Such a tile
    // counts from when this watch first saw it loaded on screen (up to POLL
    // late, never early), once 150 ms have passed without an entry.
    if (at === undefined && i.complete && i.naturalWidth > 0) {
      const now = performance.now();
      if (!window.__seen.has(i)) window.__seen.set(i, now);
      if (now - window.__seen.get(i) > 150) at = window.__seen.get(i);
    }
    if (at === undefined) return false;
    n++;
    last = Math.max(last, at);
  }
  return n > 0 && { ms: Math.max(0, last - (arg ? window.__down : 0)) };
}
const waitPainted = (p, arg = null, timeout = 30000) =>
  p.waitForFunction(painted, arg, { polling: POLL, timeout }).then((h) => h.jsonValue()).then((v) => v.ms, async (e) => {
    // What was not painted, for the log: each tile in the scroll area without a paint.
    const left = await p.evaluate(() => window.__onScreen().filter((t) => !window.__paints.has(t.querySelector('img'))).map((t) => {
      const r = t.getBoundingClientRect();
      return `${t.dataset.assetId} at ${Math.round(r.left)},${Math.round(r.top)} ${t.querySelector('img').complete ? 'loaded' : 'loading'}`;
    })).catch(() => ['the page did not answer']);
    log(`not painted: ${left.join('; ') || 'no tile in the scroll area'}`);
    throw e;
  });
// Before any of the page's scripts: every element paint, kept by element,
// and the tiles on screen: those that intersect the timeline's scroll area
// by more than a pixel (a sliver is not painted).
function PAINTS() {
  window.__paints = new WeakMap();
  window.__seen = new WeakMap();	// see painted()
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.element) window.__paints.set(e.element, e.renderTime || e.loadTime);
  }).observe({ type: 'element', buffered: true });
  window.__onScreen = () => {
    const s = document.querySelector('.scroller');
    if (!s) return [];
    const v = s.getBoundingClientRect();
    return [...document.querySelectorAll('[data-asset-id]')].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.bottom > v.top + 1 && r.top < v.bottom - 1 && r.width > 0;
    });
  };
}

// Chromium's headless shell (Debian's chromium-headless-shell), which is
// what Playwright runs for headless Chromium: the same engine as the
// browser, without the browser's own interface. The full browser in its
// headless mode also starts that interface's web pages (the address bar's
// suggestions) for each new tab, in another renderer, on the same two
// cores: measured on this VM, a static page of twelve thumbnails paints at
// ~125 ms in the shell and ~250-300 ms in the full browser (README).
// PARTNERD_CHROMIUM names another binary; tests/bench.sh runs the first
// screens once more in the full browser, for comparison.
const browser = await chromium.launch({ executablePath: env.PARTNERD_CHROMIUM || '/usr/bin/chromium-headless-shell', args: ['--no-sandbox'] });
try {
  // Signed in once through the API; each run is a new page in that context
  // (the session cookie kept, as for a person who comes back), with the
  // browser's cache disabled and the app's service worker blocked, so
  // nothing is served from the last run: every run is a first visit.
  const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'UTC', serviceWorkers: 'block', ignoreHTTPSErrors: true });
  const login = await ctx.request.post(`${BASE}/api/auth/login`, { data: { email: env.BENCH_EMAIL, password: env.BENCH_PASSWORD } });
  if (!login.ok()) throw new Error(`cannot sign in: ${login.status()}`);
  await ctx.addInitScript(PAINTS);

  async function open(cached = false) {
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cached });
    p.on('pageerror', (e) => log(`page error: ${e}`));
    return { p, cdp };
  }

  // ---- weight and first screen -------------------------------------------
  // First visits (the page's storage emptied before its scripts run, so
  // boot.js knows no month from before), then return visits (the newest
  // month remembered from the visit before, as for a person who comes back).
  const firsts = [], returns = [];
  let weight = 0, protocol = '', tilesOnScreen = 0;
  for (const [times, fresh] of [[firsts, true], [returns, false]]) {
    for (let run = 0; run < RUNS; run++) {
      const { p } = await open();
      if (fresh) await p.addInitScript(() => localStorage.clear());
      await p.goto(`${BASE}/photos`, { waitUntil: 'commit' });
      times.push(await waitPainted(p));
      tilesOnScreen = await p.evaluate(() => window.__onScreen().length);
      // What the first screen needed: the scripts and styles asked for
      // before it was painted (not the viewer's, fetched when idle after).
      weight = await p.evaluate((t) => performance.getEntriesByType('resource')
        .filter((r) => /\.(js|css)(\?|$)/.test(new URL(r.name).pathname) && r.startTime < t)
        .reduce((n, r) => n + r.encodedBodySize, 0), times[times.length - 1]);
      protocol = await p.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol);
      await p.close();
    }
  }
  // A return visit as a person's browser makes it: the hashed scripts and
  // styles from its cache (immutable, a year) and, from the third load on,
  // V8's cache of their compiled code; two visits first to fill both.
  const warm = [];
  for (let run = 0; run < RUNS + 2; run++) {
    const { p } = await open(true);
    await p.goto(`${BASE}/photos`, { waitUntil: 'commit' });
    const t = await waitPainted(p);
    if (run >= 2) warm.push(t);
    await p.close();
  }
  log(`first screen painted (ms, ${RUNS} first visits): ${firsts.map((t) => t.toFixed(0)).join(' ')}`);
  log(`first screen painted (ms, ${RUNS} return visits): ${returns.map((t) => t.toFixed(0)).join(' ')}`);
  log(`first screen painted (ms, ${RUNS} return visits, browser cache on): ${warm.map((t) => t.toFixed(0)).join(' ')}`);
  log(`the page came over ${protocol || 'a protocol Chromium did not name (HTTP/1.1 here)'}`);
  out('web-js-css', (weight / 1024).toFixed(1), 'KB');
  out('web-first-screen', median(firsts).toFixed(0), 'ms');
  out('web-first-screen-return', median(returns).toFixed(0), 'ms');
  out('web-first-screen-cached', median(warm).toFixed(0), 'ms');

  // The browser's own floor: the first screen's thumbnails (as many as the
  // last first visit had on screen) on a page with nothing else, served at
  // the same origin with the same session, first visits all the same.
  const newest = await (await ctx.request.get(`${BASE}/api/timeline/buckets?visibility=timeline&withPartners=true`)).json();
  if (newest.length && tilesOnScreen) {
    const month = await (await ctx.request.get(`${BASE}/api/timeline/bucket?visibility=timeline&withPartners=true&timeBucket=${encodeURIComponent(newest[0].timeBucket)}`)).json();
    const html = '<!doctype html><meta charset="utf-8"><body style="margin:0">' + month.id.slice(0, tilesOnScreen)
      .map((id) => `<img elementtiming="tile" alt="" style="width:240px;height:180px;object-fit:cover;margin:2px" src="/api/assets/${id}/thumbnail?size=thumbnail">`).join('');
    const floor = [];
    for (let run = 0; run < RUNS; run++) {
      const { p } = await open();
      await p.route(`${BASE}/bench-floor`, (r) => r.fulfill({ contentType: 'text/html', body: html }));
      await p.goto(`${BASE}/bench-floor`, { waitUntil: 'commit' });
      floor.push(await p.waitForFunction((n) => {
        const imgs = [...document.images];
        if (imgs.length < n || !imgs.every((i) => window.__paints.has(i))) return false;
        return { ms: Math.max(...imgs.map((i) => window.__paints.get(i))) };
      }, tilesOnScreen, { polling: POLL, timeout: 30000 }).then((h) => h.jsonValue()).then((v) => v.ms));
      await p.close();
    }
    log(`${tilesOnScreen} thumbnails on a static page painted (ms, ${RUNS} first visits): ${floor.map((t) => t.toFixed(0)).join(' ')}`);
    out('web-floor-static-page', median(floor).toFixed(0), 'ms');
  }

  // ---- the scrubber ---------------------------------------------------------
  // Ten jumps down the scrubber, top to bottom and back, each timed from the
  // pointer going down to the month's first screen painted.
  const { p, cdp } = await open();
  await p.goto(`${BASE}/photos`);
  await waitPainted(p);
  const bar = await p.locator('.scrubber').boundingBox();
  const jumps = [];
  for (const f of [0.95, 0.1, 0.55, 0.3, 0.8, 0.05, 0.65, 0.4, 0.9, 0.2]) {
    await p.evaluate(() => {
      window.__down = 0;
      document.querySelector('.scrubber').addEventListener('pointerdown', () => { window.__down = performance.now(); }, { once: true, capture: true });
    });
    const before = await p.evaluate(() => document.querySelector('.scroller').scrollTop);
    await p.mouse.click(bar.x + bar.width / 2, bar.y + f * bar.height);
    jumps.push(await waitPainted(p, { from: before }));
  }
  log(`scrubber jumps (ms): ${jumps.map((t) => t.toFixed(0)).join(' ')}`);
  out('web-scrubber-jump-p50', median(jumps).toFixed(0), 'ms');
  out('web-scrubber-jump-max', Math.max(...jumps).toFixed(0), 'ms');

  // ---- a long scroll --------------------------------------------------------
  if (SCROLL) {
    // From the top, a screen at a time, each screen's thumbnails painted (or
    // 5 s passed), until SCROLL distinct photos have been on screen or the
    // library ends.
    await p.evaluate(() => { document.querySelector('.scroller').scrollTop = 0; });
    await waitPainted(p);
    const seen = new Set();
    let stuck = 0;
    while (seen.size < SCROLL && stuck < 3) {
      const ids = await p.evaluate(() => window.__onScreen().map((t) => t.dataset.assetId));
      const n = seen.size;
      for (const id of ids) seen.add(id);
      stuck = seen.size === n ? stuck + 1 : 0;
      await p.evaluate(() => { const s = document.querySelector('.scroller'); s.scrollTop += s.clientHeight; });
      await waitPainted(p, null, 5000).catch(() => {});
      if (seen.size % 2000 < ids.length) log(`scrolled past ${seen.size} photos`);
    }
    // Every node in the document (elements, text, comments), as a walker sees them.
    const dom = await p.evaluate(() => {
      const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let n = 1;
      while (w.nextNode()) n++;
      return n;
    });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    await cdp.send('Performance.enable');
    const heapLive = (await metrics()).JSHeapUsedSize;
    await cdp.send('HeapProfiler.collectGarbage');
    const g = await metrics();
    out('web-scrolled', seen.size, 'photos');
    out('web-heap-after-scroll', (heapLive / 1048576).toFixed(1), 'MB');
    out('web-heap-after-scroll-gc', (g.JSHeapUsedSize / 1048576).toFixed(1), 'MB');
    out('web-dom-after-scroll', dom, 'nodes');
    out('web-dom-nodes-after-scroll-gc', g.Nodes, 'nodes');
  }
} finally {
  await browser.close();
}
