// The API client is @immich/sdk, the client made for this API: this file
// only points it at /api (the session travels in the immich_access_token
// cookie) and hooks its fetch so that any 401 ends the session in the app:
// the user is sent to sign in and comes back where they were.
import { setBaseUrl, setFetch, getBaseUrl, getAssetThumbnailPath, getAssetOriginalPath, getAssetPlaybackPath, isHttpError } from '@immich/sdk';
import { session } from './session.svelte.js';
import { goto, route } from './router.svelte.js';

export function setupApi() {
  setBaseUrl('/api');
  setFetch(async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input.url;
    if (res.status === 401 && !/\/auth\/(login|admin-sign-up)$/.test(url)) sessionExpired();
    return res;
  });
}

export function sessionExpired() {
  if (!session.user && route.path.startsWith('/auth/')) return;
  session.user = null;
  if (!route.path.startsWith('/auth/')) {
    const back = route.path + route.search;
    goto('/auth/login?continue=' + encodeURIComponent(back), { replace: true });
  }
}

/* Has login left the readable half of Immich's cookie pair? */
export function hasSessionCookie() {
  return document.cookie.split('; ').some((c) => c.startsWith('immich_is_authenticated=true'));
}

export const thumbnailUrl = (id, size = 'thumbnail') => `${getBaseUrl()}${getAssetThumbnailPath(id)}?size=${size}`;
export const originalUrl = (id) => `${getBaseUrl()}${getAssetOriginalPath(id)}`;
export const playbackUrl = (id) => `${getBaseUrl()}${getAssetPlaybackPath(id)}`;

/* The message to show for a failed call: the server's own when it gave one. */
export function errorMessage(e, fallback = 'Something went wrong') {
  if (isHttpError(e)) {
    if (e.data && e.data.message) return String(e.data.message);
    if (e.status === 401) return 'Your session has ended. Sign in again.';
    return `${fallback} (${e.status})`;
  }
  if (e instanceof TypeError) return 'The server could not be reached. Check your connection.';
  return (e && e.message) || fallback;
}
