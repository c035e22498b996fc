// The first screen's requests, started while the script is still running
// (before the shell mounts and asks for them one after another): the
// server's configuration, who is signed in, and on the timeline its months
// and the newest month's photos. Whoever needs one takes it (once); a
// request nobody started is simply made then.
const started = new Map();

/** Start fn() now under key; a failure waits for whoever takes it. */
export function prefetch(key, fn) {
  const p = fn();
  p.catch(() => {});	// not unhandled: the taker sees the rejection
  started.set(key, p);
  return p;
}

/** The promise started under key, or fn() when there is none. */
export function take(key, fn) {
  const p = started.get(key);
  if (!p) return fn();
  started.delete(key);
  return p;
}
