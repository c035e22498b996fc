// web.test.mjs: partnerd's web app in a real headless Chromium (Debian's
// chromium, driven by playwright-core) through the test nginx to the real
// worker, used as a person uses it. The database is fresh: the first visit
// signs the admin up. Accounts and photos are seeded through the API with
// @immich/sdk; everything under test is done with clicks and keys, found by
// the names people read. Screenshots of each screen land in
// $PARTNERD_TEST_STATE/screenshots at desktop and phone sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, bearer, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, tiles, tileIds, apiLogin } from './browser.mjs';
const env = process.env;
const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'olivia-password' };
const PARTNER = { name: 'Paul Partner', email: 'paul@example.com', password: 'paul-password' };
const OTHER = { name: 'Quinn Other', email: 'quinn@example.com', password: 'quinn-password' };
for (const u of [ADMIN, OWNER, PARTNER, OTHER]) note(u.password);

const photoDir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'web');
let adminAuth, ownerAuth, partnerAuth, owner, partner;
const photos = [];	// {id, file}, Olivia's, newest first as uploaded

before(openBrowser);
after(closeBrowser);

test('web: with no admin yet, the first visit offers the admin sign-up', async () => {
  const p = await page();
  await p.goto(URL_ + '/');
  await p.waitForURL(/\/auth\/login/);
  await p.screenshot({ path: join(shots, 'signup-desktop.png') });
  await p.getByLabel('Name').fill(ADMIN.name);
  await p.getByLabel('Email').fill(ADMIN.email);
  await p.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await p.getByLabel('Confirm password').fill(ADMIN.password);
  await p.getByRole('button', { name: 'Sign up' }).click();
  await p.waitForURL(/\/photos$/);
  await p.getByRole('heading', { name: 'No photos yet' }).waitFor();
  await p.context().close();

  // The people and photos of the rest of the suite, through the API.
  adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  owner = await make(OWNER);
  partner = await make(PARTNER);
  await make(OTHER);
  ownerAuth = await apiLogin(OWNER);
  partnerAuth = await apiLogin(PARTNER);
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [photoDir, '24', '4242', 'web_']);
  for (let i = 1; i <= 24; i++) {
    const name = `web_${String(i).padStart(4, '0')}.jpg`, file = join(photoDir, name);
    const now = new Date().toISOString();
    const up = await sdk.uploadAsset({ assetMediaCreateDto: {
      assetData: new File([readFileSync(file)], name, { type: 'image/jpeg' }),
      fileCreatedAt: now, fileModifiedAt: now } }, ownerAuth);
    photos.push({ id: up.id, file });
  }
});

test('web: a wrong password gets Immich\'s message and no session', async () => {
  const p = await page();
  await p.goto(URL_ + '/auth/login');
  await p.getByLabel('Email').fill(OWNER.email);
  await p.getByLabel('Password').fill('not-the-password');
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('alert').filter({ hasText: 'Incorrect email or password' }).waitFor();
  assert.match(p.url(), /\/auth\/login/);
  await p.screenshot({ path: join(shots, 'login-error-desktop.png') });
  await p.context().close();
});

let ownerPage, partnerPage;

test('web: the owner adds a partner in the Add partner dialog', async () => {
  ownerPage = await page();
  await signIn(ownerPage, OWNER, '/user-settings');
  const p = ownerPage;
  await p.getByText('You do not share your photos with anyone yet').waitFor();
  await p.getByRole('button', { name: 'Add partner' }).click();
  const dlg = p.getByRole('dialog', { name: 'Add partner' });
  await dlg.getByText(PARTNER.email).waitFor();
  // Everyone but me, with name and email.
  assert.equal(await dlg.getByText(OWNER.email).count(), 0);
  assert.equal(await dlg.getByText(OTHER.email).count(), 1);
  await p.screenshot({ path: join(shots, 'add-partner-desktop.png') });
  await dlg.getByRole('checkbox', { name: new RegExp(PARTNER.name) }).check();
  await dlg.getByRole('button', { name: 'Add', exact: true }).click();
  await p.getByRole('button', { name: `Stop sharing with ${PARTNER.name}` }).waitFor();
  const by = await sdk.getPartners({ direction: 'shared-by' }, ownerAuth);
  assert.deepEqual(by.map((x) => x.id), [partner.id]);
});

test('web: the partner finds the owner on Sharing and opens their library', async () => {
  partnerPage = await page();
  const p = partnerPage;
  await signIn(p, PARTNER, '/sharing');
  await p.getByRole('link', { name: new RegExp(OWNER.name) }).click();
  await p.waitForURL(new RegExp(`/partners/${owner.id}$`));
  const ids = await tileIds(p);
  assert.ok(ids.length > 0, 'the partner sees tiles');
  assert.ok(ids.every((id) => photos.some((x) => x.id === id)), 'only the owner\'s photos');
  await p.getByRole('heading', { name: OWNER.name }).waitFor();
});

test('web: Show in timeline on brings the partner\'s photos into Photos, off takes them out', async () => {
  const p = partnerPage;
  const sw = p.getByRole('switch', { name: 'Show in timeline' });
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  await sw.click();
  await p.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'true');
  await p.getByRole('link', { name: 'Photos' }).click();
  await p.waitForURL(/\/photos$/);
  const ids = await tileIds(p);
  assert.ok(ids.length > 0 && ids.every((id) => photos.some((x) => x.id === id)), 'the owner\'s photos are in Photos');
  // Off again, from Account settings this time.
  await p.goto(URL_ + '/user-settings');
  const sw2 = p.getByRole('switch', { name: `Show in timeline: ${OWNER.name}` });
  assert.equal(await sw2.getAttribute('aria-checked'), 'true');
  await sw2.click();
  await p.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'false');
  await p.getByRole('link', { name: 'Photos' }).click();
  await p.getByRole('heading', { name: 'No photos yet' }).waitFor();
  assert.equal(await tiles(p).count(), 0);
  // And on, for the rest of the suite.
  await p.goto(URL_ + '/user-settings');
  await p.getByRole('switch', { name: `Show in timeline: ${OWNER.name}` }).click();
  await p.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'true');
});

test('web: the first screen asks for each of its answers once, started by boot.js, and a return visit asks for the newest month at once', async () => {
  const first = await page();
  await signIn(first, PARTNER);
  // A fresh visit to Photos with the session cookie, as a person comes back:
  // a new page of that browser, so that nothing of the sign-in's counts.
  await first.close();
  let p = await first.context().newPage();
  const asked = [];	// every API request but thumbnails, path and query
  p.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/') && !u.pathname.endsWith('/thumbnail')) asked.push(u.pathname + u.search); });
  await p.goto(URL_ + '/photos');
  await tiles(p).first().waitFor();
  const count = (path) => asked.filter((x) => x.split('?')[0] === path).length;
  for (const path of ['/api/server/config', '/api/users/me', '/api/timeline/buckets'])
    assert.equal(count(path), 1, `${path} asked ${count(path)} times: ${asked.join(' ')}`);
  // Each month on screen once (several small months may share the screen).
  assert.ok(count('/api/timeline/bucket') >= 1);
  assert.equal(new Set(asked).size, asked.length, `an answer asked twice: ${asked.join(' ')}`);
  // boot.js started them, and the app took every one of its answers.
  assert.deepEqual(await p.evaluate(() => window.partnerdEarly && Object.keys(window.partnerdEarly)), []);
  // Coming back: the newest month is asked for with the months, not after them.
  const newest = asked.find((x) => x.startsWith('/api/timeline/bucket?'));
  await p.close();
  p = await first.context().newPage();
  const seen = [];
  p.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/timeline/')) seen.push(`ask ${u.pathname}${u.pathname.endsWith('/bucket') ? u.search : ''}`); });
  p.on('response', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/timeline/')) seen.push(`got ${u.pathname}${u.pathname.endsWith('/bucket') ? u.search : ''}`); });
  await p.goto(URL_ + '/photos');
  await tiles(p).first().waitFor();
  const asks = seen.indexOf(`ask ${newest}`);
  assert.ok(asks >= 0 && asks < seen.indexOf('got /api/timeline/buckets'), seen.join(', '));
  assert.equal(seen.filter((x) => x === `ask ${newest}`).length, 1, seen.join(', '));
  await p.context().close();
});

test('web: only months near the view are drawn, and the scrubber reaches the oldest', async () => {
  const p = partnerPage;
  const months = await sdk.getTimeBuckets({ userId: owner.id, visibility: 'timeline' }, partnerAuth);
  await p.goto(`${URL_}/partners/${owner.id}`);
  await tiles(p).first().waitFor();
  const label = (b) => new Date(b.timeBucket).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const drawn = await p.locator('section.month').count();
  assert.ok(months.length > 8 && drawn < months.length, `${drawn} of ${months.length} months drawn`);
  await p.getByRole('slider', { name: /Scrubber/ }).focus();
  await p.keyboard.press('End');
  await p.getByRole('heading', { name: label(months.at(-1)) }).waitFor();
  await p.waitForFunction((n) => !document.querySelector(`section[aria-label="${n}"]`), label(months[0]));
  await tiles(p).first().waitFor();
});

test('web: the partner opens a photo and sees where it was taken', async () => {
  const p = partnerPage;
  await p.goto(`${URL_}/partners/${owner.id}`);
  const first = (await tileIds(p))[0];
  await p.locator(`[data-asset-id="${first}"]`).click();
  await p.waitForURL(new RegExp(`/photos/${first}$`));
  const info = await sdk.getAssetInfo({ id: first }, partnerAuth);
  const coords = `${info.exifInfo.latitude.toFixed(5)}, ${info.exifInfo.longitude.toFixed(5)}`;
  await p.getByText(coords).waitFor();
  // The place name the server found for it (the fixtures are taken in big cities).
  assert.ok(info.exifInfo.city && info.exifInfo.country);
  const place = [info.exifInfo.city, info.exifInfo.state, info.exifInfo.country].filter(Boolean).join(', ');
  assert.equal(await p.getByTestId('place').textContent(), place);
  await p.locator('.leaflet-marker-icon').waitFor();
  await p.getByText(`${OWNER.name}'s photo`).waitFor();
  await p.waitForFunction(() => [...document.querySelectorAll('.viewer img')].every((i) => i.complete));
  await p.screenshot({ path: join(shots, 'viewer-partner-desktop.png') });
});

test('web: Download gives the partner the original, byte for byte', async () => {
  const p = partnerPage;
  const id = p.url().split('/').pop();
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download' }).click()]);
  const saved = join(env.PARTNERD_TEST_STATE, 'fixtures', 'web-download.jpg');
  await dl.saveAs(saved);
  const orig = photos.find((x) => x.id === id);
  assert.ok(readFileSync(saved).equals(readFileSync(orig.file)));
});

test('web: the partner adds the photo to a new album', async () => {
  const p = partnerPage;
  const id = p.url().split('/').pop();
  await p.getByRole('button', { name: 'Add to album' }).click();
  const dlg = p.getByRole('dialog', { name: 'Add to album' });
  await dlg.getByLabel('New album').fill('From Olivia');
  await dlg.getByRole('button', { name: 'Create album' }).click();
  await p.getByRole('status').filter({ hasText: 'Added to From Olivia' }).waitFor();
  const albums = await sdk.getAllAlbums({}, partnerAuth);
  const a = albums.find((x) => x.albumName === 'From Olivia');
  assert.ok(a, 'the album exists');
  const full = await sdk.getAlbumInfo({ id: a.id }, partnerAuth);
  assert.deepEqual(full.assets.map((x) => x.id), [id]);
});

test('web: a partner\'s photo offers no Edit or Delete; its Favorite and Archive are mine alone', async () => {
  const p = partnerPage;
  await p.getByRole('button', { name: 'Download' }).waitFor();
  for (const name of ['Edit', 'Delete'])
    assert.equal(await p.getByRole('button', { name, exact: true }).count(), 0, name);
  // Beyond Immich (README): my own marks, which the owner never sees.
  assert.equal(await p.getByRole('button', { name: 'Favorite', exact: true }).getAttribute('title'), 'Favorite (only you see this)');
  assert.equal(await p.getByRole('button', { name: 'Archive', exact: true }).getAttribute('title'), 'Archive for me (hide it from my timeline)');
});

test('web: arrow keys step through the grid and Escape closes the viewer', async () => {
  const p = partnerPage;
  await p.goto(`${URL_}/partners/${owner.id}`);
  const ids = await tileIds(p);
  await p.locator(`[data-asset-id="${ids[0]}"]`).click();
  await p.getByRole('button', { name: 'Next photo' }).waitFor();
  await p.keyboard.press('ArrowRight');
  await p.waitForURL(new RegExp(`/photos/${ids[1]}$`));
  await p.keyboard.press('ArrowLeft');
  await p.waitForURL(new RegExp(`/photos/${ids[0]}$`));
  await p.keyboard.press('Escape');
  await p.waitForURL(new RegExp(`/partners/${owner.id}$`));
  await tiles(p).first().waitFor();
});

test('web: a partner\'s video plays and seeks in the viewer, through the web server', async () => {
  // A second of VP9 that Debian's ffmpeg makes, dated before every photo.
  const file = join(photoDir, 'clip.webm');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1',
    '-c:v', 'libvpx-vp9', '-metadata', 'creation_time=2015-01-02T03:04:05Z', file]);
  const now = new Date().toISOString();
  const up = await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(file)], 'clip.webm', { type: 'video/webm' }),
    fileCreatedAt: now, fileModifiedAt: now } }, ownerAuth);
  const p = partnerPage;
  await p.goto(`${URL_}/photos/${up.id}`);
  await p.waitForFunction(() => {
    const v = document.querySelector('.viewer video');
    return v && v.readyState >= 1 && v.duration > 0.5;
  });
  assert.match(await p.locator('.viewer video').getAttribute('src'), new RegExp(`/api/assets/${up.id}/video/playback$`));
  // It seeks (Range requests through the web server) and plays on.
  const seeked = await p.evaluate(() => new Promise((resolve, reject) => {
    const v = document.querySelector('.viewer video');
    const t = setTimeout(() => reject(new Error('no seeked event')), 10000);
    v.addEventListener('seeked', () => { clearTimeout(t); resolve(v.currentTime); }, { once: true });
    v.currentTime = 0.5;
  }));
  assert.ok(Math.abs(seeked - 0.5) < 0.15, `seeked to ${seeked}`);
  const played = await p.evaluate(() => new Promise((resolve, reject) => {
    const v = document.querySelector('.viewer video');
    const t = setTimeout(() => reject(new Error('it did not play')), 10000);
    v.muted = true;
    v.addEventListener('timeupdate', () => {
      if (v.currentTime > 0.6) { clearTimeout(t); resolve(v.currentTime); }
    });
    v.play().catch(reject);
  }));
  assert.ok(played > 0.6, `played to ${played}`);
  await p.keyboard.press('Escape');
  await p.waitForURL(/\/photos$/);
  // In the grid it says how long it is (the scrubber's End: it is the oldest).
  await p.goto(`${URL_}/partners/${owner.id}`);
  await p.getByRole('slider').first().focus();
  await p.keyboard.press('End');
  const tile = p.locator(`[data-asset-id="${up.id}"]`);
  await tile.waitFor();
  assert.match(await tile.getAttribute('aria-label'), /^Video of 0:01 by /);
  assert.match(await tile.innerText(), /0:01/);
});

test('web: the owner archives a photo and it leaves the partner\'s views at the next load', async () => {
  const p = ownerPage;
  await p.goto(`${URL_}/photos`);
  const before = await tileIds(p);
  const victim = before[0];
  await p.locator(`[data-asset-id="${victim}"]`).click();
  await p.getByRole('button', { name: 'Favorite' }).waitFor();	// my own photo
  await p.screenshot({ path: join(shots, 'viewer-own-desktop.png') });
  await p.getByRole('button', { name: 'Archive' }).click();
  await p.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
  assert.equal((await sdk.getAssetInfo({ id: victim }, ownerAuth)).visibility, 'archive');
  const q = partnerPage;
  await q.goto(`${URL_}/partners/${owner.id}`);
  let ids = await tileIds(q);
  assert.ok(ids.includes(before[1]) && !ids.includes(victim), 'gone from the partner\'s library');
  await q.goto(`${URL_}/photos`);
  ids = await tileIds(q);
  assert.ok(ids.includes(before[1]) && !ids.includes(victim), 'gone from the partner\'s Photos');
});

test('web: the owner favourites a photo of their own and deletes another to the trash', async () => {
  const p = ownerPage;
  await p.keyboard.press('Escape');
  await p.waitForURL(/\/photos$/);
  const [, fav, del] = await tileIds(p);
  await p.locator(`[data-asset-id="${fav}"]`).click();
  const heart = p.getByRole('button', { name: 'Favorite' });
  assert.equal(await heart.getAttribute('aria-pressed'), 'false');
  await heart.click();
  await p.waitForFunction(() => document.querySelector('[aria-label=Favorite]')?.getAttribute('aria-pressed') === 'true');
  assert.equal((await sdk.getAssetInfo({ id: fav }, ownerAuth)).isFavorite, true);
  await p.keyboard.press('Escape');
  await p.locator(`[data-asset-id="${del}"]`).click();
  await p.getByRole('button', { name: 'Delete' }).click();
  await p.getByRole('status').filter({ hasText: 'Moved to trash' }).waitFor();
  assert.equal((await sdk.getAssetInfo({ id: del }, ownerAuth)).isTrashed, true);
  await p.keyboard.press('Escape');
  await p.waitForURL(/\/photos$/);
  assert.equal(await p.locator(`[data-asset-id="${del}"]`).count(), 0);
});

test('web: screenshots of every screen at desktop and phone sizes', async () => {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const p = await page(viewport);
    await p.goto(URL_ + '/auth/login');
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
    await p.screenshot({ path: join(shots, `login-${size}.png`) });
    await signIn(p, PARTNER, '/photos');
    const shot = async (path, name) => {
      await p.goto(URL_ + path);
      await p.waitForLoadState('networkidle');
      await p.screenshot({ path: join(shots, `${name}-${size}.png`) });
      assert.equal(await p.getByRole('alert').count(), 0, `${name}: no error shown`);
    };
    await shot('/photos', 'photos');
    await shot('/sharing', 'sharing');
    await shot(`/partners/${owner.id}`, 'partner');
    await shot('/user-settings', 'user-settings');
    await shot(`/photos/${photos[0].id}`, 'viewer');
    assert.deepEqual(p.errors || [], [], 'no script errors');
    await p.context().close();
  }
});

test('web: an ended session sends the user to sign in and back to where they were', async () => {
  const p = partnerPage;
  await p.goto(`${URL_}/sharing`);
  await p.getByRole('heading', { name: 'Sharing' }).waitFor();
  const token = (await p.context().cookies()).find((c) => c.name === 'immich_access_token').value;
  await sdk.logout(bearer(token));
  await p.getByRole('link', { name: 'Photos' }).click();
  await p.waitForURL(/\/auth\/login\?continue=%2Fphotos/);
  await p.getByLabel('Email').fill(PARTNER.email);
  await p.getByLabel('Password').fill(PARTNER.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/photos$/);
});

test('web: the owner stops sharing with the X and the partner\'s Sharing no longer lists them', async () => {
  const p = ownerPage;
  await p.goto(`${URL_}/user-settings`);
  await p.getByRole('button', { name: `Stop sharing with ${PARTNER.name}` }).click();
  const dlg = p.getByRole('dialog', { name: 'Stop sharing?' });
  await dlg.getByRole('button', { name: 'Stop sharing', exact: true }).click();
  await p.getByText('You do not share your photos with anyone yet').waitFor();
  const q = partnerPage;
  await q.goto(`${URL_}/sharing`);
  await q.getByRole('heading', { name: 'No one shares with you yet' }).waitFor();
  assert.equal(await q.getByRole('link', { name: new RegExp(OWNER.name) }).count(), 0);
  await q.screenshot({ path: join(shots, 'sharing-empty-desktop.png') });
  await ownerPage.context().close();
  await partnerPage.context().close();
});

test('web: Sign out in the account menu ends the session', async () => {
  const p = await page(PHONE);
  await signIn(p, PARTNER, '/sharing');
  await p.getByRole('button', { name: 'Account menu' }).click();
  await p.getByRole('button', { name: 'Sign out' }).click();
  await p.waitForURL(/\/auth\/login$/);
  await p.goto(`${URL_}/sharing`);
  await p.waitForURL(/\/auth\/login\?continue=%2Fsharing$/);
  assert.equal(await p.getByRole('button', { name: 'Sign in' }).count(), 1);
  await p.context().close();
});
