// The web app's entry: global styles, the API client, then the shell.
import { mount } from 'svelte';
import './lib/app.css';
import { setupApi } from './lib/api.js';
import App from './App.svelte';

setupApi();
mount(App, { target: document.getElementById('app') });

// The app shell works offline and installs to a phone's home screen
// (public/sw.js never caches /api/ answers).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it */ });
}
