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
    return (key === guess ? guessed : bucket(key)).then((assets) => ({ key, assets }));
  });
  early.month.catch(() => {});
})();
