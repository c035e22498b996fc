// browser.mjs: what the browser suites share: the server's address, the
// screenshot folder, one headless Chromium (Debian's, driven by
// playwright-core), fresh pages, signing in through the form, the grid's
// tiles, and API sign-ins whose tokens are noted for the log check.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import * as sdk from '@immich/sdk';

const env = process.env;
export const URL_ = env.PARTNERD_TEST_URL;
export const shots = join(env.PARTNERD_TEST_STATE, 'screenshots');
export const note = (s) => appendFileSync(`${env.PARTNERD_TEST_STATE}/secrets.txt`, `${s}\n`);
export const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const ADMIN = { name: 'Ada Admin', email: 'web-admin@example.com', password: 'web-admin-password' };
sdk.init({ baseUrl: `${URL_}/api` });

let chromium_;
export async function openBrowser() {
  mkdirSync(shots, { recursive: true });
  chromium_ = await chromium.launch({ executablePath: env.PARTNERD_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
}
export async function closeBrowser() { await chromium_?.close(); }
/** The running Chromium, for contexts of a kind of their own. */
export const browser = () => chromium_;

/** A page in a context of its own (its own cookies), script errors collected in p.errors. */
export async function page(viewport = DESKTOP) {
  const ctx = await chromium_.newContext({ viewport, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => { p.errors = (p.errors || []).concat(String(e)); });
  return p;
}

export async function signIn(p, who, path = '/photos') {
  await p.goto(URL_ + path);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((u) => !u.pathname.startsWith('/auth/'));
}

export const tiles = (p) => p.locator('[data-asset-id]');
// A month in view whose answer has not come is a placeholder
// (.grid.skeleton), and a long month is laid out a screen's rows first and
// the rest when the browser is idle (.grid.partial): on a busy machine the
// first tile can come while the month after it is still one or the other.
// Resolves once neither is in view.
export async function monthsDrawn(p) {
  await p.waitForFunction(() => ![...document.querySelectorAll('.grid.skeleton, .grid.partial')].some((g) => {
    const r = g.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  }), null, { timeout: 10000 });
}

export async function tileIds(p) {
  await p.waitForSelector('[data-asset-id], .empty', { timeout: 10000 });
  await monthsDrawn(p);
  return tiles(p).evaluateAll((els) => els.map((e) => e.dataset.assetId));
}

export async function apiLogin(who) {
  const r = await sdk.login({ loginCredentialDto: { email: who.email, password: who.password } });
  note(r.accessToken);
  return bearer(r.accessToken);
}
