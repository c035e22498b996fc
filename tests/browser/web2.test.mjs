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
import { join, basename } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, bearer, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, tiles, tileIds, apiLogin } from './browser.mjs';
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
    await p.waitForFunction(() => !document.querySelector('.grid.skeleton'));
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
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u } }, adminAuth);
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
  await status(p, `Archived ${mine.length} photos.${theirs ? ` ${theirs} ${theirs === 1 ? 'photo is' : 'photos are'} a partner's: only the owner can archive` : ''}`);
  for (const id of mine) assert.equal((await sdk.getAssetInfo({ id }, hanaAuth)).visibility, 'archive');
  for (const id of ids.filter((x) => peteIds.includes(x))) assert.equal((await sdk.getAssetInfo({ id }, peteAuth)).visibility, 'timeline');
  await p.waitForFunction((id) => !document.querySelector(`[data-asset-id="${id}"]`), mine[0]);
  await p.getByRole('link', { name: 'Archive' }).click();
  await p.waitForURL(/\/archive$/);
  const archived = await waitTiles(p, mine.length);
  assert.deepEqual(archived.slice().sort(), mine.slice().sort());
  for (const month of await p.getByRole('checkbox', { name: /^Select all of / }).all()) await month.click();
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText(`${mine.length} selected`).waitFor();
  await p.getByRole('button', { name: 'Unarchive' }).click();
  await status(p, `Moved ${mine.length} photos back to the timeline.`);
  await p.getByRole('heading', { name: 'Nothing archived' }).waitFor();
  for (const id of mine) assert.equal((await sdk.getAssetInfo({ id }, hanaAuth)).visibility, 'timeline');
});

test('web2: a partner\'s photo in a selection is left out of Favorite, and the bar says why', async () => {
  const p = hp;
  await p.goto(URL_ + '/photos');
  const ids = await tileIds(p);
  const own = ids.find((id) => !peteIds.includes(id));
  const theirs = ids.find((id) => peteIds.includes(id));
  await check(p, own).click();
  await check(p, theirs).click();
  await p.getByRole('toolbar', { name: 'Selected photos' }).getByText('2 selected (1 a partner\'s)').waitFor();
  await p.getByRole('button', { name: 'Favorite', exact: true }).click();
  await status(p, 'Added 1 photo to favorites. 1 photo is a partner\'s: only the owner can favourite it.');
  assert.equal((await sdk.getAssetInfo({ id: own }, hanaAuth)).isFavorite, true);
  assert.equal((await sdk.getAssetInfo({ id: theirs }, peteAuth)).isFavorite, false);
  await p.getByRole('link', { name: 'Favorites' }).click();
  await p.waitForURL(/\/favorites$/);
  assert.deepEqual(await waitTiles(p, 1), [own]);
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
  await p.getByRole('button', { name: 'Add photos' }).click();
  const picker = p.getByRole('dialog', { name: 'Add photos to Summer' });
  await picker.locator('[data-asset-id]').first().waitFor();
  const shown = await picker.locator('[data-asset-id]').evaluateAll((els) => els.map((e) => e.dataset.assetId));
  const want = [...shown.filter((id) => !peteIds.includes(id)).slice(0, 2), peteIds[0]];
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
