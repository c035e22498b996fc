// The web app's entry: global styles, the API client, then the shell.
import { mount } from 'svelte';
import './lib/app.css';
import { setupApi } from './lib/api.js';
import App from './App.svelte';

setupApi();
mount(App, { target: document.getElementById('app') });
