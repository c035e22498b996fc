// The router: the current path as state, history-based navigation, and one
// document-level click handler that turns same-origin links into goto().
export const route = $state({ path: location.pathname, search: location.search });

function sync() {
  route.path = location.pathname;
  route.search = location.search;
}

export function goto(url, { replace = false } = {}) {
  const u = new URL(url, location.href);
  if (u.pathname + u.search === location.pathname + location.search && !u.hash) return;
  history[replace ? 'replaceState' : 'pushState']({ app: true }, '', u.pathname + u.search + u.hash);
  sync();
}

/* Did the user arrive at the current entry from inside the app? */
export function canGoBack() {
  return history.state && history.state.app;
}

export function installRouter() {
  addEventListener('popstate', sync);
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const u = new URL(a.href, location.href);
    if (u.origin !== location.origin || u.pathname.startsWith('/api/')) return;
    e.preventDefault();
    goto(u.pathname + u.search + u.hash);
  });
}

/* Match "/partners/:id" style patterns; returns the params or null. */
export function match(pattern, path) {
  const p = pattern.split('/'), s = path.replace(/\/+$/, '').split('/');
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}
