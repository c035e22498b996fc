// web2.test.mjs: the web app, part 2, in headless Chromium through nginx to
// the real worker: a household's own library. Upload (button and drop, a
// duplicate, a broken file), selection (range, month, partners' photos),
// favourites, archive, trash, albums, zip downloads, account settings,
// administration, and axe-core on every screen at desktop and phone sizes.
// It runs after web.test.mjs on the same database (its admin), or alone on
// a fresh one (it signs the admin up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, basename } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, bearer, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, browser, page, signIn, tiles, tileIds, monthsDrawn, apiLogin } from './browser.mjs';
const env = process.env;
const HANA = { name: 'Hana Home', email: 'hana@example.com', password: 'hana-password' };
const PETE = { name: 'Pete Partner', email: 'pete@example.com', password: 'pete-password' };
const STRANGER = { name: 'Sam Stranger', email: 'sam@example.com', password: 'sam-password' };
for (const u of [ADMIN, HANA, PETE, STRANGER]) note(u.password);

const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'web2');
let adminAuth, hanaAuth, peteAuth, samAuth, hana, pete;
const files = [];	// Hana's photo files, lib_0001.jpg ...
const peteIds = [];

before(openBrowser);
after(closeBrowser);

/* Every tile id of the grid, scrolling it from top to bottom as a person would. */
async function allTileIds(p, scope = p) {
  await scope.locator('[data-asset-id], .empty').first().waitFor();
  const seen = [];
  const scroller = scope.locator('.scroller').first();
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  for (let i = 0; i < 200; i++) {
    await p.waitForTimeout(150);
    await monthsDrawn(p);
    for (const id of await scope.locator('[data-asset-id]').evaluateAll((els) => els.map((e) => e.dataset.assetId)))
      if (!seen.includes(id)) seen.push(id);
    const more = await scroller.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop += el.clientHeight;
      return el.scrollTop > before;
    });
    if (!more) break;
  }
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  return seen;
}
/* The ids of the grid once it shows n tiles. */
async function waitTiles(p, n) {
  await p.waitForFunction((k) => document.querySelectorAll('[data-asset-id]').length === k, n);
  return tileIds(p);
}
const check = (p, id) => p.locator(`.tile:has([data-asset-id="${id}"]) .check`);
const status = (p, text) => p.getByRole('status').filter({ hasText: text }).first().waitFor();

test('web2: the household and their photos', async () => {
  const cfg = await sdk.getServerConfig();
  if (!cfg.isInitialized) await sdk.signUpAdmin({ signUpDto: ADMIN });
  adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  hana = await make(HANA);
  pete = await make(PETE);
  await make(STRANGER);
  hanaAuth = await apiLogin(HANA);
  peteAuth = await apiLogin(PETE);
  samAuth = await apiLogin(STRANGER);
  // Pete shares with Hana, who shows him in her timeline.
  await sdk.createPartner({ partnerCreateDto: { sharedWithId: hana.id } }, peteAuth);
  await sdk.updatePartner({ id: pete.id, partnerUpdateDto: { inTimeline: true } }, hanaAuth);
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '12', '777', 'lib_']);
  for (let i = 1; i <= 12; i++) files.push(join(dir, `lib_${String(i).padStart(4, '0')}.jpg`));
  for (const f of files.slice(9)) {	// Pete's: the last three
    const now = new Date().toISOString();
    const up = await sdk.uploadAsset({ assetMediaCreateDto: {
      assetData: new File([readFileSync(f)], basename(f), { type: 'image/jpeg' }), fileCreatedAt: now, fileModifiedAt: now } }, peteAuth);
    peteIds.push(up.id);
  }
  // Hana already has her first photo: uploading it again is a duplicate.
  const now = new Date().toISOString();
  await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(files[0])], basename(files[0]), { type: 'image/jpeg' }), fileCreatedAt: now, fileModifiedAt: now } }, hanaAuth);
});

let hp;	// Hana's page

test('web2: uploading several files shows progress to 100 %, names the duplicate and the broken file, and the rest appear without a reload', async () => {
  hp = await page();
  await signIn(hp, HANA, '/photos');
  const before = await allTileIds(hp);
  const broken = join(dir, 'broken.jpg');
  writeFileSync(broken, 'this is not a photo');
  await hp.locator('input[type=file]').setInputFiles([...files.slice(0, 6), broken]);
  const panel = hp.getByRole('region', { name: 'Uploads' });
  await panel.getByRole('heading', { name: 'Uploads finished' }).waitFor({ timeout: 30000 });
  assert.equal(await panel.getByRole('progressbar', { name: 'Total upload progress' }).getAttribute('aria-valuenow'), '100');
  await panel.getByText('5 uploaded, 1 already in your library, 1 failed').waitFor();
  await panel.getByText(`${basename(files[0])} is already in your library`).waitFor();
  const why = await panel.getByRole('alert').innerText();
  assert.match(why, /^broken\.jpg: .+/);
  await hp.screenshot({ path: join(shots, 'upload-desktop.png') });
  // The new photos are in the grid, without a reload.
  const mine = (await sdk.getTimeBuckets({ visibility: 'timeline' }, hanaAuth)).reduce((n, b) => n + b.count, 0);
  assert.equal(mine, 6);
  await hp.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length > 0);
  await hp.waitForTimeout(1000);
  assert.equal((await allTileIds(hp)).length, before.length + 5, 'the five new photos are in the grid');
  await panel.getByRole('button', { name: 'Close uploads' }).click();
});

test('web2: a file dropped on the page is uploaded', async () => {
  const bytes = [...readFileSync(files[6])];
  const dt = await hp.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'dropped.jpg', { type: 'image/jpeg' }));
    return d;
  }, bytes);
  await hp.dispatchEvent('main', 'dragover', { dataTransfer: dt });
  await hp.dispatchEvent('main', 'drop', { dataTransfer: dt });
  const panel = hp.getByRole('region', { name: 'Uploads' });
  await panel.getByText('1 uploaded').waitFor({ timeout: 20000 });
  await panel.getByRole('button', { name: 'Close uploads' }).click();
});

test('web2: a shift-click range is archived, and restored from Archive by its month', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  // A range from the first photo to the sixth (or the last drawn): Pete's photos in it stay as they are.
  const ids = (await tileIds(p)).slice(0, 6);
  assert.ok(ids.length >= 3, `${ids.length} photos drawn`);
  const theirs = ids.filter((id) => peteIds.includes(id)).length, mine = ids.filter((id) => !peteIds.includes(id));
  await check(p, ids[0]).click();
  await p.locator(`[data-asset-id="${ids.at(-1)}"]`).click({ modifiers: ['Shift'] });
  const bar = p.getByRole('toolbar', { name: 'Selected photos' });
  await bar.getByText(new RegExp(`^${ids.length} selected${theirs ? ` \\(${theirs} a partner's\\)` : ''}$`)).waitFor();
  await p.screenshot({ path: join(shots, 'selection-desktop.png') });
  await bar.getByRole('button', { name: 'Archive' }).click();
  // Pete's photos in it are archived for Hana alone (README "Beyond Immich").
  await status(p, `Archived ${ids.length} photos.${theirs ? ` ${theirs === 1 ? 'One is a partner\'s photo' : `${theirs} are partners' photos`}: for you alone.` : ''}`);
  for (const id of ids) assert.equal((await sdk.getAssetInfo({ id }, hanaAuth)).visibility, 'archive');
  for (const id of ids.filter((x) => peteIds.includes(x))) assert.equal((await sdk.getAssetInfo({ id }, peteAuth)).visibility, 'timeline');
  await p.waitForFunction((id) => !document.querySelector(`[data-asset-id="${id}"]`), mine[0]);
  await p.getByRole('link', { name: 'Archive' }).click();
  await p.waitForURL(/\/archive$/);
  const archived = await waitTiles(p, ids.length);
  assert.deepEqual(archived.slice().sort(), ids.slice().sort());
  for (const month of await p.getByRole('checkbox', { name: /^Select all of / }).all()) await month.click();
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText(new RegExp(`^${ids.length} selected`)).waitFor();
  await p.getByRole('button', { name: 'Unarchive' }).click();
  await status(p, `Moved ${ids.length} photos back to the timeline.`);
  await p.getByRole('heading', { name: 'Nothing archived' }).waitFor();
  for (const id of ids) assert.equal((await sdk.getAssetInfo({ id }, hanaAuth)).visibility, 'timeline');
});

test('web2: Favorite on a selection with a partner\'s photo: hers for Hana alone, and the bar says so', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  const ids = await tileIds(p);
  const own = ids.find((id) => !peteIds.includes(id));
  const theirs = ids.find((id) => peteIds.includes(id));
  await check(p, own).click();
  await check(p, theirs).click();
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText('2 selected (1 a partner\'s)').waitFor();
  await p.getByRole('button', { name: 'Favorite', exact: true }).click();
  await status(p, 'Added 2 photos to favorites. One is a partner\'s photo: for you alone.');
  assert.equal((await sdk.getAssetInfo({ id: own }, hanaAuth)).isFavorite, true);
  assert.equal((await sdk.getAssetInfo({ id: theirs }, hanaAuth)).isFavorite, true);
  assert.equal((await sdk.getAssetInfo({ id: theirs }, peteAuth)).isFavorite, false);
  await p.getByRole('link', { name: 'Favorites' }).click();
  await p.waitForURL(/\/favorites$/);
  // Mine in the timeline; Pete's in the row of partners' photos above it.
  assert.deepEqual((await waitTiles(p, 2)).sort(), [own, theirs].sort());
  await p.getByRole('list', { name: 'Partners\' photos you favourited' }).locator(`[data-asset-id="${theirs}"]`).waitFor();
});

test('web2: photos deleted to the trash are restored, deleted for good, and the trash emptied after confirmation', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  const ids = (await tileIds(p)).filter((id) => !peteIds.includes(id)).slice(0, 3);
  for (const id of ids) await check(p, id).click();
  await p.getByRole('button', { name: 'Delete', exact: true }).click();
  await status(p, 'Moved 3 photos to the trash.');
  await p.getByRole('link', { name: 'Trash' }).click();
  await p.waitForURL(/\/trash$/);
  assert.deepEqual((await waitTiles(p, 3)).sort(), ids.slice().sort());
  await check(p, ids[0]).click();
  await p.getByRole('button', { name: 'Restore' }).click();
  await status(p, 'Restored 1 photo.');
  assert.equal((await sdk.getAssetInfo({ id: ids[0] }, hanaAuth)).isTrashed, false);
  await check(p, ids[1]).click();
  await p.getByRole('button', { name: 'Delete for good' }).click();
  const dlg = p.getByRole('dialog', { name: 'Delete for good?' });
  await dlg.getByRole('button', { name: 'Delete for good' }).click();
  await status(p, 'Deleted 1 photo for good.');
  await assert.rejects(sdk.getAssetInfo({ id: ids[1] }, hanaAuth));
  await p.getByRole('button', { name: 'Empty trash' }).click();
  await p.screenshot({ path: join(shots, 'empty-trash-desktop.png') });
  await p.getByRole('dialog', { name: 'Empty the trash?' }).getByRole('button', { name: 'Empty trash' }).click();
  await p.getByRole('heading', { name: 'The trash is empty' }).waitFor();
  await assert.rejects(sdk.getAssetInfo({ id: ids[2] }, hanaAuth));
});

let albumId;
test('web2: an album made of my photos and a partner\'s, renamed, described, and one removed', async () => {
  const p = hp;
  await p.getByRole('link', { name: 'Albums' }).click();
  await p.waitForURL(/\/albums$/);
  await p.getByRole('heading', { name: 'No albums yet' }).waitFor();
  await p.getByRole('button', { name: 'Create album' }).click();
  const form = p.getByRole('dialog', { name: 'New album' });
  await form.getByLabel('Name').fill('Summer');
  await form.getByRole('button', { name: 'Create' }).click();
  await p.waitForURL(/\/albums\/[0-9a-f-]{36}$/);
  albumId = p.url().split('/').pop();
  await p.getByRole('heading', { name: 'This album is empty' }).waitFor();
  // The picker's months come one by one. Here, as on a busy machine (CI),
  // the newest is drawn while the others are still asked for: what it
  // offers is read once every month it draws is in (read when the first
  // tile appeared, it was the newest month's photo alone: two clicks, and
  // '3 selected' never came).
  const newest = (await sdk.getTimeBuckets({ visibility: 'timeline', withPartners: true }, hanaAuth))[0].timeBucket;
  let release;
  const held = new Promise((r) => { release = r; });
  const hold = async (route) => {
    if (new URL(route.request().url()).searchParams.get('timeBucket') !== newest) await held;
    await route.continue();
  };
  const bucket = (url) => url.pathname === '/api/timeline/bucket';
  await p.route(bucket, hold);
  await p.getByRole('button', { name: 'Add photos' }).click();
  const picker = p.getByRole('dialog', { name: 'Add photos to Summer' });
  await picker.locator('[data-asset-id]').first().waitFor();
  await picker.locator('.grid.skeleton').first().waitFor();	// the older months are still to come
  release();
  await picker.locator('.grid.skeleton').first().waitFor({ state: 'detached' });
  await p.unroute(bucket, hold);
  const shown = await picker.locator('[data-asset-id]').evaluateAll((els) => els.map((e) => e.dataset.assetId));
  const want = [...shown.filter((id) => !peteIds.includes(id)).slice(0, 2), peteIds[0]];
  assert.equal(new Set(want).size, 3, `two of mine and one of Pete's among ${shown.length} tiles drawn`);
  for (const id of want) await picker.locator(`[data-asset-id="${id}"]`).click();
  await picker.getByText('3 selected').waitFor();
  await picker.getByRole('button', { name: 'Add 3' }).click();
  await status(p, 'Added 3 to Summer');
  await p.waitForFunction(() => document.querySelectorAll('[data-asset-id]').length === 3);
  assert.deepEqual((await tileIds(p)).sort(), want.slice().sort());
  await p.getByText(/^3 items/).waitFor();
  await p.getByRole('button', { name: 'Edit' }).click();
  const edit = p.getByRole('dialog', { name: 'Edit album' });
  await edit.getByLabel('Name').fill('Summer at the lake');
  await edit.getByLabel('Description').fill('Two weeks of sun');
  await edit.getByRole('button', { name: 'Save' }).click();
  await p.getByRole('heading', { name: 'Summer at the lake' }).waitFor();
  await p.getByText('Two weeks of sun').waitFor();
  await check(p, want[0]).click();
  await p.getByRole('button', { name: 'Remove from album' }).click();
  await status(p, 'Removed 1 photo from the album.');
  const info = await sdk.getAlbumInfo({ id: albumId }, hanaAuth);
  assert.equal(info.albumName, 'Summer at the lake');
  assert.equal(info.description, 'Two weeks of sun');
  assert.deepEqual(info.assets.map((a) => a.id).sort(), want.slice(1).sort());
  await p.screenshot({ path: join(shots, 'album-desktop.png') });
  await p.getByRole('link', { name: 'Back to Albums' }).click();
  const card = p.getByRole('link', { name: /Summer at the lake/ });
  await card.getByText(/^2 items/).waitFor();
  await p.screenshot({ path: join(shots, 'albums-desktop.png') });
});

test('web2: five photos of my timeline download as one zip whose files are byte-identical to the uploads', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  await tileIds(p);
  // Select tiles as they come into view, scrolling down, until there are five.
  const picked = [];
  const scroller = p.locator('.scroller').first();
  for (let i = 0; picked.length < 5 && i < 50; i++) {
    for (const id of await tileIds(p)) {
      if (picked.length < 5 && !picked.includes(id)) { await check(p, id).click(); picked.push(id); }
    }
    await scroller.evaluate((el) => { el.scrollTop += el.clientHeight / 2; });
    await p.waitForTimeout(200);
  }
  assert.equal(picked.length, 5);
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText(/^5 selected/).waitFor();
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download' }).click()]);
  assert.match(dl.suggestedFilename(), /^partnerd-.*\.zip$/);
  const zip = join(dir, 'five.zip'), out = join(dir, 'unzipped');
  await dl.saveAs(zip);
  rmSync(out, { recursive: true, force: true });
  execFileSync('unzip', ['-q', zip, '-d', out]);
  const names = readdirSync(out).sort();
  const want = [];
  for (const id of picked) want.push((await sdk.getAssetInfo({ id }, hanaAuth)).originalFileName);
  assert.deepEqual(names, want.sort());
  for (const name of names) {
    const src = name === 'dropped.jpg' ? files[6] : join(dir, name);
    assert.ok(readFileSync(join(out, name)).equals(readFileSync(src)), `${name} is byte-identical`);
  }
});

test('web2: a zip or its size of a photo I may not read is refused with Immich\'s 400, as is an unknown id', async () => {
  const id = peteIds[0];
  for (const call of [
    () => sdk.getDownloadInfo({ downloadInfoDto: { assetIds: [id] } }, samAuth),
    () => sdk.downloadArchive({ downloadArchiveDto: { assetIds: [id] } }, samAuth),
    () => sdk.downloadArchive({ downloadArchiveDto: { assetIds: [id, '6f1d2a4e-8a7b-4c3d-9e0f-123456789abc'] } }, hanaAuth),
  ]) {
    const e = await call().then(() => null, (x) => x);
    assert.ok(e && e.status === 400, `refused with 400 (${e && e.status})`);
    const body = typeof e.data === 'string' ? JSON.parse(e.data) : e.data instanceof Blob ? JSON.parse(await e.data.text()) : e.data;
    assert.equal(body.message, 'Not found or no asset.download access');
  }
  // The same ids for the partner it is shared with: allowed.
  const info = await sdk.getDownloadInfo({ downloadInfoDto: { assetIds: [id, id] } }, hanaAuth);
  assert.deepEqual(info.archives.map((a) => a.assetIds), [[id]]);
});

test('web2: download/info splits archives at archiveSize, as Immich does', async () => {
  const sizes = [];
  for (const id of peteIds) sizes.push((await sdk.getAssetInfo({ id }, peteAuth)).exifInfo.fileSizeInByte);
  const info = await sdk.getDownloadInfo({ downloadInfoDto: { assetIds: peteIds, archiveSize: 1 } }, peteAuth);
  assert.equal(info.totalSize, sizes.reduce((a, b) => a + b, 0));
  assert.deepEqual(info.archives, peteIds.map((id, i) => ({ assetIds: [id], size: sizes[i] })));
  const one = await sdk.getDownloadInfo({ downloadInfoDto: { assetIds: peteIds } }, peteAuth);
  assert.deepEqual(one.archives, [{ assetIds: peteIds, size: info.totalSize }]);
});

test('web2: my name is changed in Account settings', async () => {
  const p = hp;
  await p.goto(URL_ + '/user-settings');
  await p.getByLabel('Name', { exact: true }).fill('Hana H.');
  await p.getByRole('button', { name: 'Save', exact: true }).click();
  await status(p, 'Name saved');
  assert.equal((await sdk.getMyUser(hanaAuth)).name, 'Hana H.');
});

test('web2: a device is signed out from the list, then a password change signs out my other session', async () => {
  const p = hp;
  const other = await page();
  await signIn(other, HANA, '/sharing');
  const scripted = await apiLogin(HANA);	// a third session, signed out from the list
  await p.goto(URL_ + '/user-settings');
  const list = p.getByRole('list', { name: 'Signed-in devices' });
  await list.getByText('This device').waitFor();
  assert.ok((await list.getByRole('listitem').count()) >= 3);
  const mine = (await sdk.getSessions(scripted)).find((s) => s.current);
  await p.screenshot({ path: join(shots, 'user-settings-desktop.png'), fullPage: true });
  // Sign out the scripted session by its row (the newest: first in the list).
  const sessions = await sdk.getSessions(hanaAuth);
  assert.equal(sessions[0].id, mine.id);
  await list.getByRole('button', { name: /^Sign out / }).first().click();
  await status(p, 'Signed out');
  await assert.rejects(sdk.getMyUser(scripted), (e) => e.status === 401);
  // The password: the current one, the new one twice.
  await p.getByLabel('Current password').fill(HANA.password);
  await p.getByLabel('New password', { exact: true }).fill('hana-new-password');
  await p.getByLabel('Confirm new password').fill('hana-new-password');
  await p.getByRole('button', { name: 'Change password' }).click();
  await status(p, 'Password changed. Your other sessions were signed out.');
  HANA.password = 'hana-new-password';
  note(HANA.password);
  // The other browser is sent to sign in at its next step; this one goes on.
  await other.getByRole('link', { name: 'Photos' }).click();
  await other.waitForURL(/\/auth\/login/);
  await other.context().close();
  await p.getByRole('link', { name: 'Albums' }).click();
  await p.getByRole('heading', { name: 'Albums' }).waitFor();
  assert.equal(p.url().includes('/auth/'), false);
  await assert.rejects(sdk.login({ loginCredentialDto: { email: HANA.email, password: 'hana-password' } }));
  hanaAuth = await apiLogin(HANA);
});

test('web2: an API key is made with one permission, shown once, works for it alone, and is deleted', async () => {
  const p = hp;
  await p.goto(URL_ + '/user-settings');
  await p.getByRole('button', { name: 'New API key' }).click();
  const dlg = p.getByRole('dialog', { name: 'New API key' });
  await dlg.getByLabel('Name').fill('Photo frame');
  await dlg.getByRole('checkbox', { name: /asset\.read/ }).check();
  await dlg.getByRole('button', { name: 'Create' }).click();
  const shown = p.getByRole('dialog', { name: 'Your new API key' });
  const secret = await shown.getByLabel('API key').inputValue();
  note(secret);
  assert.ok(secret.length >= 32);
  await shown.getByRole('button', { name: 'Done' }).click();
  await p.getByRole('list', { name: 'API keys' }).getByText('Photo frame').waitFor();
  const key = { headers: { 'x-api-key': secret } };
  assert.ok(Array.isArray(await sdk.getTimeBuckets({ visibility: 'timeline' }, key)));
  await assert.rejects(sdk.getMyUser(key), (e) => e.status === 403);
  await p.getByRole('button', { name: 'Delete the API key Photo frame' }).click();
  await p.getByRole('dialog', { name: 'Delete this API key?' }).getByRole('button', { name: 'Delete' }).click();
  await status(p, 'Deleted the API key Photo frame');
  await assert.rejects(sdk.getTimeBuckets({ visibility: 'timeline' }, key), (e) => e.status === 401);
});

const DANA = { name: 'Dana New', email: 'dana@example.com', password: 'dana-initial-pw' };
test('web2: an admin creates a user who must change the password at first sign-in, then sets a quota, resets the password, deletes and restores', async () => {
  note(DANA.password);
  const p = await page();
  await signIn(p, ADMIN, '/photos');
  await p.getByRole('button', { name: 'Account menu' }).click();
  await p.getByRole('link', { name: 'Administration' }).click();
  await p.waitForURL(/\/admin\/users$/);
  await p.getByRole('button', { name: 'New user' }).click();
  const form = p.getByRole('dialog', { name: 'New user' });
  await form.getByLabel('Name').fill(DANA.name);
  await form.getByLabel('Email').fill(DANA.email);
  await form.getByLabel('Initial password').fill(DANA.password);
  assert.equal(await form.getByLabel('Must change the password at first sign-in').isChecked(), true);
  await form.getByRole('button', { name: 'Create user' }).click();
  await status(p, `Created ${DANA.name}`);
  const users = p.getByRole('list', { name: 'Users' });
  await users.getByText(DANA.email).waitFor();
  await p.screenshot({ path: join(shots, 'admin-users-desktop.png') });

  // Dana signs in and is asked for a password of her own first.
  const d = await page(PHONE);
  await signIn(d, DANA, '/photos');
  await d.getByRole('heading', { name: 'Choose your own password' }).waitFor();
  await d.screenshot({ path: join(shots, 'must-change-phone.png') });
  await d.getByLabel('Current password').fill(DANA.password);
  DANA.password = 'dana-own-password';
  note(DANA.password);
  await d.getByLabel('New password', { exact: true }).fill(DANA.password);
  await d.getByLabel('Confirm new password').fill(DANA.password);
  await d.getByRole('button', { name: 'Change password' }).click();
  await d.getByRole('heading', { name: 'No photos yet' }).waitFor();

  // A quota of 2 GiB.
  await p.getByRole('button', { name: `Edit ${DANA.name}` }).click();
  const edit = p.getByRole('dialog', { name: `Edit ${DANA.name}` });
  await edit.getByLabel(/Storage quota/).fill('2');
  await edit.getByRole('button', { name: 'Save' }).click();
  await status(p, `Saved ${DANA.name}`);
  const dana = (await sdk.searchUsersAdmin({}, adminAuth)).find((u) => u.email === DANA.email);
  assert.equal(dana.quotaSizeInBytes, 2 * 1024 ** 3);
  await users.getByText(`${DANA.email} · 2 GiB`).waitFor();

  // A reset: the new password works, her session ends, and she must change it again.
  await p.getByRole('button', { name: `Edit ${DANA.name}` }).click();
  await edit.getByLabel('New password (resets it)').fill('dana-reset-pw');
  await edit.getByLabel('Must change the password at first sign-in').check();
  note('dana-reset-pw');
  await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/admin/users/') && r.ok()),
    edit.getByRole('button', { name: 'Save' }).click(),
  ]);
  await d.goto(URL_ + '/sharing');
  await d.waitForURL(/\/auth\/login\?continue=%2Fsharing/);
  const back = await sdk.login({ loginCredentialDto: { email: DANA.email, password: 'dana-reset-pw' } });
  note(back.accessToken);
  assert.equal(back.shouldChangePassword, true);

  // Delete, then restore.
  await p.getByRole('button', { name: `Delete ${DANA.name}` }).click();
  await p.getByRole('dialog', { name: `Delete ${DANA.name}?` }).getByRole('button', { name: 'Delete' }).click();
  await status(p, `Deleted ${DANA.name}`);
  await assert.rejects(sdk.login({ loginCredentialDto: { email: DANA.email, password: 'dana-reset-pw' } }));
  await p.getByRole('button', { name: `Restore ${DANA.name}` }).click();
  await status(p, `Restored ${DANA.name}`);
  const again = await sdk.login({ loginCredentialDto: { email: DANA.email, password: 'dana-reset-pw' } });
  note(again.accessToken);
  await d.context().close();
  await p.context().close();
});

test('web2: Administration is not offered to, nor shown for, someone who is not an admin', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  await p.getByRole('button', { name: 'Account menu' }).click();
  assert.equal(await p.getByRole('link', { name: 'Administration' }).count(), 0);
  await p.goto(URL_ + '/admin/users');
  await p.getByRole('heading', { name: 'Page not found' }).waitFor();
});

/* axe-core's serious and critical violations on the page as it is now. */
async function axe(p) {
  if (!(await p.evaluate(() => typeof window.axe !== 'undefined')))
    await p.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return p.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
}

test('web2: axe-core finds no serious or critical violation on any screen, at desktop and phone sizes', async () => {
  const album = (await sdk.getAllAlbums({}, hanaAuth))[0];
  const some = (await sdk.getTimeBuckets({ visibility: 'timeline' }, hanaAuth))[0];
  const photo = (await sdk.getTimeBucket({ visibility: 'timeline', timeBucket: some.timeBucket }, hanaAuth)).id[0];
  const found = [];
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    // axe is injected as a script, which the app's Content-Security-Policy would refuse.
    const ctx = await browser().newContext({ viewport, bypassCSP: true, locale: 'en-GB', timezoneId: 'UTC' });
    const p = await ctx.newPage();
    const screen = async (name, path, ready) => {
      if (path) await p.goto(URL_ + path);
      await ready();
      await p.waitForTimeout(300);
      for (const v of await axe(p)) found.push(`${name} (${size}): ${v}`);
      await p.screenshot({ path: join(shots, `${name}-${size}.png`) });
    };
    await screen('login', '/auth/login', () => p.getByRole('button', { name: 'Sign in' }).waitFor());
    await p.getByLabel('Email').fill(HANA.email);
    await p.getByLabel('Password').fill(HANA.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/photos$/);
    await screen('photos', null, () => tiles(p).first().waitFor());
    await check(p, (await tileIds(p))[0]).click();
    await screen('photos-selected', null, () => p.getByRole('toolbar', { name: 'Selected photos' }).waitFor());
    await p.getByRole('button', { name: 'Add to album' }).click();
    await screen('add-to-album', null, () => p.getByRole('dialog', { name: 'Add to album' }).getByText('My albums').waitFor());
    await p.keyboard.press('Escape');
    await screen('favorites', '/favorites', () => tiles(p).first().waitFor());
    await screen('archive', '/archive', () => p.getByRole('heading', { name: 'Nothing archived' }).waitFor());
    await screen('trash', '/trash', () => p.getByRole('heading', { name: 'The trash is empty' }).waitFor());
    await screen('albums', '/albums', () => p.getByRole('link', { name: new RegExp(album.albumName) }).waitFor());
    await screen('album', `/albums/${album.id}`, () => tiles(p).first().waitFor());
    await p.getByRole('button', { name: 'Add photos' }).click();
    await screen('album-picker', null, () => p.getByRole('dialog', { name: /^Add photos to / }).locator('[data-asset-id]').first().waitFor());
    await p.keyboard.press('Escape');
    await screen('viewer', `/photos/${photo}`, () => p.getByRole('button', { name: 'Download' }).waitFor());
    await screen('sharing', '/sharing', () => p.getByRole('link', { name: new RegExp(PETE.name) }).waitFor());
    await screen('partner', `/partners/${pete.id}`, () => tiles(p).first().waitFor());
    await screen('user-settings', '/user-settings', () => p.getByRole('list', { name: 'Signed-in devices' }).waitFor());
    await p.getByRole('button', { name: 'New API key' }).click();
    await screen('new-api-key', null, () => p.getByRole('dialog', { name: 'New API key' }).waitFor());
    await p.keyboard.press('Escape');
    await p.locator('input[type=file]').setInputFiles([files[size === 'desktop' ? 7 : 8]]);
    await screen('upload', null, () => p.getByRole('region', { name: 'Uploads' }).getByText('1 uploaded').waitFor());
    await ctx.close();
    // The admin's screen.
    const actx = await browser().newContext({ viewport, bypassCSP: true, locale: 'en-GB', timezoneId: 'UTC' });
    const a = await actx.newPage();
    await signIn(a, ADMIN, '/admin/users');
    for (const v of await axe(a).then(async (r) => { await a.getByRole('list', { name: 'Users' }).waitFor(); return [...r, ...(await axe(a))]; }))
      found.push(`admin-users (${size}): ${v}`);
    await a.screenshot({ path: join(shots, `admin-users-${size}.png`) });
    await actx.close();
  }
  assert.deepEqual(found, []);
});

test('web2: keyboard only: Tab reaches a tile, Space selects it, Escape clears; a dialog keeps focus inside and Escape closes it', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  await tiles(p).first().waitFor();
  const first = (await tileIds(p))[0];
  await p.locator(`[data-asset-id="${first}"]`).focus();
  await p.keyboard.press('Tab');	// the tile's own select button
  assert.match(await p.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Select: /);
  await p.keyboard.press('Space');
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText(/^1 selected/).waitFor();
  await p.keyboard.press('Escape');
  await p.getByRole('toolbar', { name: 'Selected photos' }).waitFor({ state: 'detached' });
  // A dialog: Tab cycles inside it, Escape closes it and focus comes back.
  await p.goto(URL_ + '/albums');
  const opener = p.getByRole('button', { name: 'Create album' });
  await opener.focus();
  await p.keyboard.press('Enter');
  const dlg = p.getByRole('dialog', { name: 'New album' });
  await dlg.waitFor();
  for (let i = 0; i < 8; i++) {
    await p.keyboard.press('Tab');
    assert.ok(await p.evaluate(() => !!document.activeElement.closest('dialog[open]')), `focus stays in the dialog (${i})`);
  }
  await p.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden' });
  assert.equal(await p.evaluate(() => document.activeElement.textContent.trim()), 'Create album');
});

test('web2: the app installs (manifest, service worker) and opens offline, and the service worker keeps no /api/ answer', async () => {
  const p = await page(PHONE);
  await signIn(p, HANA, '/photos');
  const manifest = await (await fetch(`${URL_}/manifest.webmanifest`)).json();
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/photos');
  assert.ok(manifest.icons.length >= 1);
  await p.evaluate(() => navigator.serviceWorker.ready);
  await p.reload();
  await tiles(p).first().waitFor();
  assert.equal(await p.evaluate(() => !!navigator.serviceWorker.controller), true, 'the page is controlled');
  const cached = await p.evaluate(async () => {
    const out = [];
    for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    return out;
  });
  assert.ok(cached.includes('/'), 'index.html is kept');
  assert.ok(cached.some((u) => u.startsWith('/assets/')), 'the app\'s files are kept');
  assert.deepEqual(cached.filter((u) => u.startsWith('/api/')), [], 'no API answer is kept');
  // Offline: the shell still opens, and says the server cannot be reached.
  await p.context().setOffline(true);
  await p.reload();
  await p.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
  await p.context().setOffline(false);
  await p.context().close();
});
