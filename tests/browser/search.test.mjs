// search.test.mjs: search and places in headless Chromium through nginx to
// the real worker: a place typed in the header's search box, its results
// (mine and a partner's in my timeline, never the partner's archived one),
// a result opened in the viewer and stepped through; the filter panel's
// place lists narrowing country -> region -> city; Explore's tiles, one per
// place, searching that place. Screenshots of the search page, its filters
// and Explore at desktop and phone sizes. It runs first on a fresh database
// and leaves a fresh one behind (web.test.mjs begins with the admin sign-up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, tileIds, apiLogin } from './browser.mjs';
const env = process.env;
const SOFIA = { name: 'Sofia Search', email: 'sofia@example.com', password: 'sofia-password' };
const PABLO = { name: 'Pablo Partner', email: 'pablo@example.com', password: 'pablo-password' };
for (const u of [ADMIN, SOFIA, PABLO]) note(u.password);

const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'search');
const PARIS = { latitude: 48.8566, longitude: 2.3522 };
const LYON = { latitude: 45.764, longitude: 4.8357 };
const BERLIN = { latitude: 52.52, longitude: 13.405 };
const ids = {};	// name -> asset id

before(openBrowser);
after(async () => {
  await closeBrowser();
  execFileSync('sh', [env.PARTNERD_TEST_STACK, 'reset-db'], { stdio: 'ignore' });	// fresh for web.test.mjs
});

async function upload(auth, name, file, place, taken) {
  const up = await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(file)], `${name}.jpg`, { type: 'image/jpeg' }),
    fileCreatedAt: taken, fileModifiedAt: taken } }, auth);
  // The place comes from the position, as for a location edited in the viewer.
  await sdk.updateAssets({ assetBulkUpdateDto: { ids: [up.id], ...place, dateTimeOriginal: taken } }, auth);
  ids[name] = up.id;
}

test('search: Sofia, Pablo who shares with her, and their photos in three cities', async () => {
  const cfg = await sdk.getServerConfig();
  if (!cfg.isInitialized) await sdk.signUpAdmin({ signUpDto: ADMIN });
  const adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  const sofia = await make(SOFIA), pablo = await make(PABLO);
  const sofiaAuth = await apiLogin(SOFIA), pabloAuth = await apiLogin(PABLO);
  await sdk.createPartner({ partnerCreateDto: { sharedWithId: sofia.id } }, pabloAuth);
  await sdk.updatePartner({ id: pablo.id, partnerUpdateDto: { inTimeline: true } }, sofiaAuth);
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '6', '1717', 'srch_']);
  const f = (i) => join(dir, `srch_000${i}.jpg`);
  await upload(sofiaAuth, 'sofia-paris-1', f(1), PARIS, '2024-05-02T10:00:00.000Z');
  await upload(sofiaAuth, 'sofia-paris-2', f(2), PARIS, '2024-05-01T10:00:00.000Z');
  await upload(sofiaAuth, 'sofia-lyon', f(3), LYON, '2023-08-01T10:00:00.000Z');
  await upload(sofiaAuth, 'sofia-berlin', f(4), BERLIN, '2022-03-01T10:00:00.000Z');
  await upload(pabloAuth, 'pablo-paris', f(5), PARIS, '2024-05-03T10:00:00.000Z');
  await upload(pabloAuth, 'pablo-paris-archived', f(6), PARIS, '2024-05-04T10:00:00.000Z');
  await sdk.updateAssets({ assetBulkUpdateDto: { ids: [ids['pablo-paris-archived']], visibility: 'archive' } }, pabloAuth);
});

test('search: a place typed in the search box finds mine and my partner\'s, and a result opens in the viewer', async () => {
  const p = await page();
  await signIn(p, SOFIA, '/photos');
  const box = p.getByRole('searchbox', { name: 'Search photos' });
  await box.fill('paris');
  await box.press('Enter');
  await p.waitForURL(/\/search\?q=paris$/);
  await p.getByRole('status').filter({ hasText: 'Paris' }).first().waitFor();
  await p.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length === 3);
  // Newest first; Pablo's archived photo is never found.
  assert.deepEqual(await tileIds(p), [ids['pablo-paris'], ids['sofia-paris-1'], ids['sofia-paris-2']]);
  await p.screenshot({ path: join(shots, 'search-desktop.png') });
  // Open the first result: the viewer, then the next result with the arrow key.
  await p.locator(`[data-asset-id="${ids['pablo-paris']}"]`).click();
  await p.waitForURL(new RegExp(`/photos/${ids['pablo-paris']}$`));
  await p.getByRole('button', { name: 'Close', exact: true }).waitFor();
  await p.screenshot({ path: join(shots, 'search-viewer-desktop.png') });
  await p.keyboard.press('ArrowRight');
  await p.waitForURL(new RegExp(`/photos/${ids['sofia-paris-1']}$`));
  await p.keyboard.press('Escape');
  await p.waitForURL(/\/search\?q=paris$/);
  assert.deepEqual(p.errors || [], []);
  await p.context().close();
});

test('search: the filter panel narrows places country -> region -> city, and searches the one chosen', async () => {
  const p = await page();
  await signIn(p, SOFIA, '/photos');
  await p.getByRole('button', { name: 'Search filters' }).click();
  const panel = p.getByRole('form', { name: 'Search filters' });
  const options = (label) => panel.getByLabel(label).locator('option').allInnerTexts();
  // The lists fill as their suggestions arrive: wait for the Country list's
  // own (any select is the first of its type inside its own label, so a
  // selector for "the first select" also matched the City list, filled
  // first on a slow run).
  await panel.getByLabel('Country').locator('option').nth(2).waitFor({ state: 'attached' });
  assert.deepEqual(await options('Country'), ['Any country', 'France', 'Germany']);
  await panel.getByLabel('Country').selectOption('France');
  await p.waitForFunction(() => ![...document.querySelectorAll('form[aria-label="Search filters"] option')].some((o) => o.textContent === 'Berlin'));
  await panel.getByLabel('City').locator('option', { hasText: 'Lyon' }).waitFor({ state: 'attached' });
  assert.deepEqual(await options('City'), ['Any place', 'Lyon', 'Paris']);
  assert.ok(!(await options('Region')).includes('Berlin'), 'no German region under France');
  await p.screenshot({ path: join(shots, 'search-filters-desktop.png') });
  await panel.getByLabel('City').selectOption('Lyon');
  await panel.getByRole('button', { name: 'Search' }).click();
  await p.waitForURL(/\/search\?city=Lyon&country=France$/);
  await p.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length === 1);
  assert.deepEqual(await tileIds(p), [ids['sofia-lyon']]);
  await p.context().close();
});

test('search: Explore shows one tile per place, and a tile searches that place', async () => {
  const p = await page();
  await signIn(p, SOFIA, '/explore');
  const places = p.getByRole('list', { name: 'Places' }).getByRole('link');
  await p.waitForFunction(() => document.querySelectorAll('ul[aria-label="Places"] a').length === 3);
  const names = (await places.allInnerTexts()).map((t) => t.split('\n')[0]);
  assert.deepEqual(names, ['Berlin', 'Lyon', 'Paris']);
  await p.screenshot({ path: join(shots, 'explore-desktop.png') });
  await places.filter({ hasText: 'Paris' }).click();
  await p.waitForURL(/\/search\?city=Paris$/);
  await p.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length === 3);
  await p.context().close();
});

test('search: screenshots of search, its filters and Explore on a phone', async () => {
  const p = await page(PHONE);
  await signIn(p, SOFIA, '/photos');
  await p.getByRole('link', { name: 'Search', exact: true }).click();
  await p.waitForURL(/\/search$/);
  await p.getByRole('button', { name: 'Filters' }).click();
  await p.getByRole('form', { name: 'Search filters' }).getByLabel('City').selectOption('Paris');
  await p.screenshot({ path: join(shots, 'search-filters-phone.png') });
  await p.getByRole('form', { name: 'Search filters' }).getByRole('button', { name: 'Search' }).click();
  await p.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length === 3);
  await p.screenshot({ path: join(shots, 'search-phone.png') });
  await p.goto(URL_ + '/explore');
  await p.waitForFunction(() => document.querySelectorAll('ul[aria-label="Places"] a').length === 3);
  await p.screenshot({ path: join(shots, 'explore-phone.png') });
  assert.deepEqual(p.errors || [], []);
  await p.context().close();
});
