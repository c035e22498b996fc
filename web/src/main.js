// The web app's entry: global styles, the API client, then the shell.
import { mount } from 'svelte';
import './lib/app.css';
import { getServerConfig, getMyUser } from '@immich/sdk';
import { setupApi, hasSessionCookie } from './lib/api.js';
import { prefetch, adopt } from './lib/prefetch.js';
import { prefetchTimeline } from './lib/timeline.svelte.js';
import App from './App.svelte';

setupApi();
prefetch('config', () => adopt('config', getServerConfig));
if (hasSessionCookie()) {
  prefetch('me', () => adopt('me', getMyUser));
  if (/^\/(photos\/?)?$/.test(location.pathname)) prefetchTimeline();
}
// The first render is the longest task of a first visit: it waits for
// boot.js's newest month (the timeline's first screen), so that the month's
// answer is read and its thumbnails asked for before that task rather than
// after it (they then arrive while the app draws), but not for more than a
// quarter of a second.
const first = window.partnerdEarly && window.partnerdEarly.month;
const draw = () => mount(App, { target: document.getElementById('app') });
if (first) Promise.race([first.catch(() => {}), new Promise((r) => setTimeout(r, 250))]).then(draw);
else setTimeout(draw, 0);

// The app shell works offline and installs to a phone's home screen
// (public/sw.js never caches /api/ answers).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it */ });
}
