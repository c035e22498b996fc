// The first screen's requests, started before the shell mounts and asks for
// them one after another: the server's configuration, who is signed in, and
// on the timeline its months and the newest month's photos. src/boot.js
// starts them as soon as the HTML is read (window.partnerdEarly); what it
// did not start, or what failed there, is asked here through @immich/sdk.
// Whoever needs one takes it (once); a request nobody started is simply
// made then.
const started = new Map();
const early = (typeof window !== 'undefined' && window.partnerdEarly) || {};

/** Start fn() now under key; a failure waits for whoever takes it. */
export function prefetch(key, fn) {
  const p = fn();
  p.catch(() => {});	// not unhandled: the taker sees the rejection
  started.set(key, p);
  return p;
}

/** boot.js's answer called name, else (or when it failed) fn(). */
export function adopt(name, fn) {
  const p = early[name];
  delete early[name];
  return p ? p.catch(() => fn()) : fn();
}

/** boot.js's newest month when it is month `key`, else fn(). */
export function adoptMonth(key, fn) {
  const p = early.month;
  delete early.month;
  if (!p) return fn();
  return p.then((m) => (m && m.key === key ? m.assets : fn()), () => fn());
}

/** The promise started under key, or fn() when there is none. */
export function take(key, fn) {
  const p = started.get(key);
  if (!p) return fn();
  started.delete(key);
  return p;
}
