// map.test.mjs: the map page (/map) in headless Chromium through nginx to
// the real worker. Mia's photo is in Paris, her partner Pat's in Tokyo: the
// map shows Pat's only while Pat shares with Mia and Mia shows Pat in her
// timeline, in the clusters and in a cluster's photos alike; a cluster
// opens its photos in a panel (a sheet on a phone) that leads to the
// viewer. No tile server is configured: the clusters show all the same.
// It runs first in the browser suite on a fresh database and leaves a fresh
// one behind (web.test.mjs signs the admin up through the form).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, basename } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, apiLogin } from './browser.mjs';
const env = process.env;
const MIA = { name: 'Mia Map', email: 'mia@example.com', password: 'mia-map-password' };
const PAT = { name: 'Pat Partner', email: 'pat@example.com', password: 'pat-map-password' };
for (const u of [ADMIN, MIA, PAT]) note(u.password);

let miaAuth, patAuth, mia, pat, miaPhoto, patPhoto;

before(openBrowser);
after(async () => {
  await closeBrowser();
  // The next file starts from an empty server, as it would alone.
  execFileSync('sh', [env.PARTNERD_TEST_STACK, 'reset-db'], { stdio: 'ignore' });
});

async function upload(auth, file, lat, lon) {
  const now = new Date().toISOString();
  const up = await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(file)], basename(file), { type: 'image/jpeg' }), fileCreatedAt: now, fileModifiedAt: now } }, auth);
  await sdk.updateAsset({ id: up.id, updateAssetDto: { latitude: lat, longitude: lon } }, auth);
  return up.id;
}

/* The map's count of photos in view, once it has settled. */
async function shown(p) {
  const s = p.getByRole('status').filter({ hasText: / here$/ }).first();
  await s.waitFor();
  await p.waitForFunction(() => !document.querySelector('.filters [role=status]')?.textContent.includes('Loading'));
  const text = await s.textContent();
  return Number(text.replace(/[^0-9]/g, ''));
}

/* Every photo id behind every cluster bubble, through the panel. */
async function photosOnMap(p) {
  const ids = [];
  const n = await p.locator('.cluster').count();
  for (let i = 0; i < n; i++) {
    await p.locator('.cluster').nth(i).click();
    const panel = p.locator('aside.panel');
    await panel.locator('ul.grid a').first().waitFor();
    for (const href of await panel.locator('ul.grid a').evaluateAll((els) => els.map((a) => a.getAttribute('href'))))
      ids.push(href.replace('/photos/', ''));
    await panel.getByRole('button', { name: 'Close' }).click();
  }
  return ids.sort();
}

async function openMap(viewport = DESKTOP) {
  const p = await page(viewport);
  await signIn(p, MIA, '/map');
  await p.locator('.leaflet-container').waitFor();
  await shown(p);
  return p;
}

test('map: Mia and her partner Pat, in Paris and Tokyo', async () => {
  const cfg = await sdk.getServerConfig();
  if (!cfg.isInitialized) await sdk.signUpAdmin({ signUpDto: ADMIN });
  const adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  mia = await make(MIA);
  pat = await make(PAT);
  miaAuth = await apiLogin(MIA);
  patAuth = await apiLogin(PAT);
  const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'map');
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '2', '909', 'map_']);
  miaPhoto = await upload(miaAuth, join(dir, 'map_0001.jpg'), 48.8566, 2.3522);
  patPhoto = await upload(patAuth, join(dir, 'map_0002.jpg'), 35.6762, 139.6503);
  await sdk.createPartner({ partnerCreateDto: { sharedWithId: mia.id } }, patAuth);
  await sdk.updatePartner({ id: pat.id, partnerUpdateDto: { inTimeline: true } }, miaAuth);
});

test('map: the nav leads to the map, whose clusters show without tiles', async () => {
  const p = await page();
  await signIn(p, MIA, '/photos');
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
  await p.waitForURL(/\/map$/);
  await p.locator('.leaflet-container').waitFor();
  assert.equal(await shown(p), 2);
  assert.equal(await p.locator('.cluster').count(), 2);
  assert.equal(await p.locator('.leaflet-tile').count(), 0);
  assert.deepEqual(p.errors || [], []);
  await p.context().close();
});

test('map: without tiles, the clusters lie on the countries\' outlines', async () => {
  const p = await openMap();
  // The outline's layer names its source once it is drawn.
  await p.locator('.leaflet-control-attribution', { hasText: 'Natural Earth' }).waitFor();
  const land = await p.evaluate(() => {
    const c = document.querySelector('.leaflet-basemap-pane canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;	// pixels of the land's fill, #f3f0e8
    for (let i = 0; i < d.length; i += 4) if (d[i] === 0xf3 && d[i + 1] === 0xf0 && d[i + 2] === 0xe8) n++;
    return n / (c.width * c.height);
  });
  assert.ok(land > 0.1, `land covers ${(land * 100).toFixed(1)} % of the map`);
  assert.deepEqual(p.errors || [], []);
  await p.context().close();
});

test('map: a cluster opens its photos, which open the viewer', async () => {
  const p = await openMap();
  assert.deepEqual(await photosOnMap(p), [miaPhoto, patPhoto].sort());
  await p.locator('.cluster').first().click();
  const link = p.locator('aside.panel ul.grid a').first();
  const href = await link.getAttribute('href');
  await p.screenshot({ path: join(shots, 'map-desktop.png') });
  await link.click();
  await p.waitForURL((u) => u.pathname === href);
  await p.keyboard.press('Escape');
  await p.waitForURL(/\/map$/);
  await p.context().close();
});

test('map: the partner shows only while Show in timeline is on', async () => {
  await sdk.updatePartner({ id: pat.id, partnerUpdateDto: { inTimeline: false } }, miaAuth);
  let p = await openMap();
  assert.equal(await shown(p), 1);
  assert.deepEqual(await photosOnMap(p), [miaPhoto]);
  await p.context().close();
  await sdk.updatePartner({ id: pat.id, partnerUpdateDto: { inTimeline: true } }, miaAuth);
  p = await openMap();
  assert.equal(await shown(p), 2);
  assert.deepEqual(await photosOnMap(p), [miaPhoto, patPhoto].sort());
  // The page's own filter: partners off, then on again.
  await p.getByLabel('Partners').uncheck();
  await p.waitForFunction(() => document.querySelectorAll('.cluster').length === 1);
  assert.equal(await shown(p), 1);
  await p.getByLabel('Partners').check();
  await p.waitForFunction(() => document.querySelectorAll('.cluster').length === 2);
  await p.context().close();
});

test('map: on a phone the photos open in a sheet', async () => {
  const p = await openMap(PHONE);
  assert.equal(await shown(p), 2);
  await p.locator('.cluster').first().click();
  await p.locator('aside.panel ul.grid a').first().waitFor();
  const box = await p.locator('aside.panel').boundingBox();
  assert.ok(box.width >= PHONE.width - 2 && box.y > PHONE.height / 3, 'the panel is a sheet at the bottom');
  await p.screenshot({ path: join(shots, 'map-phone.png') });
  await p.context().close();
});

test('map: the partner leaves the map when the share ends', async () => {
  await sdk.removePartner({ id: mia.id }, patAuth);
  const p = await openMap();
  assert.equal(await shown(p), 1);
  assert.deepEqual(await photosOnMap(p), [miaPhoto]);
  await p.context().close();
});
