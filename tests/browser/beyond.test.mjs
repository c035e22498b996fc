// beyond.test.mjs: partnerd's features beyond Immich (README "Beyond
// Immich") in headless Chromium through nginx to the real worker: a
// recipient leaves a share from the Sharing page, after confirming; then,
// shared again, he makes her photo a favourite of his own and archives it
// for himself (the viewer says so and brings it back). It runs
// after the web*.test.mjs files (check.sh), on their admin, or alone on a
// fresh database (it signs the admin up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, apiLogin } from './browser.mjs';
const env = process.env;
const SARA = { name: 'Sara Sharer', email: 'sara-beyond@example.com', password: 'sara-password' };
const RICO = { name: 'Rico Recipient', email: 'rico-beyond@example.com', password: 'rico-password' };
for (const u of [ADMIN, SARA, RICO]) note(u.password);

let saraAuth, ricoAuth, sara, rico, photo;
before(openBrowser);
after(closeBrowser);

test('beyond: Sara shares her library with Rico', async () => {
  const cfg = await sdk.getServerConfig();
  if (!cfg.isInitialized) await sdk.signUpAdmin({ signUpDto: ADMIN });
  const adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  sara = await make(SARA);
  rico = await make(RICO);
  saraAuth = await apiLogin(SARA);
  ricoAuth = await apiLogin(RICO);
  await sdk.createPartner({ partnerCreateDto: { sharedWithId: rico.id } }, saraAuth);
  const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'beyond');
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '1', '1818', 'beyond_']);
  const now = new Date().toISOString();
  photo = (await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(join(dir, 'beyond_0001.jpg'))], 'beyond.jpg', { type: 'image/jpeg' }),
    fileCreatedAt: now, fileModifiedAt: now } }, saraAuth)).id;
  assert.equal((await sdk.getAssetInfo({ id: photo }, ricoAuth)).id, photo);
});

test('beyond: Leave on the Sharing page asks first, and Cancel keeps the share', async () => {
  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const p = await page(vp);
    await signIn(p, RICO, '/sharing');
    const leave = p.getByRole('button', { name: `Leave ${SARA.name}'s share` });
    await leave.waitFor();
    await p.screenshot({ path: join(shots, `beyond-sharing-leave-${size}.png`) });
    await leave.click();
    const dlg = p.getByRole('dialog', { name: 'Leave this share?' });
    await dlg.getByText(`You will no longer see ${SARA.name}'s photos`).waitFor();
    await p.screenshot({ path: join(shots, `beyond-leave-confirm-${size}.png`) });
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'hidden' });
    assert.deepEqual(p.errors, undefined);
    await p.context().close();
  }
  const withMe = await sdk.getPartners({ direction: 'shared-with' }, ricoAuth);
  assert.deepEqual(withMe.map((x) => x.id), [sara.id]);
});

test('beyond: confirming Leave ends the share for Rico, and Sara no longer lists him', async () => {
  const p = await page();
  await signIn(p, RICO, '/sharing');
  await p.getByRole('button', { name: `Leave ${SARA.name}'s share` }).click();
  await p.getByRole('dialog', { name: 'Leave this share?' }).getByRole('button', { name: 'Leave', exact: true }).click();
  await p.getByRole('heading', { name: 'No one shares with you yet' }).waitFor();
  await p.getByText(`You no longer receive ${SARA.name}'s photos`).waitFor();
  await p.screenshot({ path: join(shots, 'beyond-left-desktop.png') });
  assert.equal(await p.getByRole('link', { name: new RegExp(SARA.name) }).count(), 0);
  assert.deepEqual(await sdk.getPartners({ direction: 'shared-with' }, ricoAuth), []);
  assert.deepEqual(await sdk.getPartners({ direction: 'shared-by' }, saraAuth), []);
  await assert.rejects(sdk.getAssetInfo({ id: photo }, ricoAuth), (e) => e.status === 400);
  assert.deepEqual(p.errors, undefined);
  await p.context().close();
});

test('beyond: after Rico left, Sara may share again and he sees her on Sharing', async () => {
  await sdk.createPartner({ partnerCreateDto: { sharedWithId: rico.id } }, saraAuth);
  const p = await page();
  await signIn(p, RICO, '/sharing');
  await p.getByRole('link', { name: new RegExp(SARA.name) }).waitFor();
  assert.equal((await sdk.getAssetInfo({ id: photo }, ricoAuth)).id, photo);
  await p.context().close();
});

// ---- my favourite and my archive on a partner's photo --------------------

test('beyond: the heart on Sara\'s photo is Rico\'s alone, and his Favorites list it', async () => {
  await sdk.updatePartner({ id: sara.id, partnerUpdateDto: { inTimeline: true } }, ricoAuth);
  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const p = await page(vp);
    await signIn(p, RICO, `/photos/${photo}`);
    const heart = p.getByRole('button', { name: 'Favorite', exact: true });
    await heart.waitFor();
    assert.equal(await heart.getAttribute('title'), 'Favorite (only you see this)');
    if (await heart.getAttribute('aria-pressed') !== 'true') {
      await heart.click();
      await p.getByRole('status').filter({ hasText: 'Added to favorites (yours alone)' }).first().waitFor();
    }
    await p.waitForFunction(() => document.querySelector('[aria-label=Favorite]')?.getAttribute('aria-pressed') === 'true');
    await p.screenshot({ path: join(shots, `beyond-favourite-viewer-${size}.png`) });
    await p.goto(URL_ + '/favorites');
    const row = p.getByRole('list', { name: 'Partners\' photos you favourited' });
    await row.locator(`[data-asset-id="${photo}"]`).waitFor();
    // Rico has no photos of his own: the page says so, not "No favorites".
    await p.getByRole('heading', { name: 'None of your own photos is a favorite' }).waitFor();
    assert.equal(await p.getByRole('heading', { name: 'No favorites' }).count(), 0);
    await p.screenshot({ path: join(shots, `beyond-favourites-page-${size}.png`) });
    assert.deepEqual(p.errors, undefined);
    await p.context().close();
  }
  assert.equal((await sdk.getAssetInfo({ id: photo }, ricoAuth)).isFavorite, true);
  assert.equal((await sdk.getAssetInfo({ id: photo }, saraAuth)).isFavorite, false);
});

test('beyond: Archive on Sara\'s photo hides it for Rico; the viewer says so and brings it back', async () => {
  const p = await page();
  await signIn(p, RICO, '/photos');
  await p.locator(`[data-asset-id="${photo}"]`).waitFor();
  await p.goto(`${URL_}/photos/${photo}`);
  const archive = p.getByRole('button', { name: 'Archive', exact: true });
  assert.equal(await archive.getAttribute('title'), 'Archive for me (hide it from my timeline)');
  await archive.click();
  await p.getByRole('status').filter({ hasText: 'Archived for you: hidden from your timeline' }).first().waitFor();
  assert.equal((await sdk.getAssetInfo({ id: photo }, ricoAuth)).visibility, 'archive');
  assert.equal((await sdk.getAssetInfo({ id: photo }, saraAuth)).visibility, 'timeline');
  // Out of his timeline, into his archive.
  await p.goto(URL_ + '/photos');
  await p.waitForSelector('[data-asset-id], .empty');
  assert.equal(await p.locator(`[data-asset-id="${photo}"]`).count(), 0);
  await p.goto(URL_ + '/archive');
  await p.locator(`[data-asset-id="${photo}"]`).waitFor();
  await p.screenshot({ path: join(shots, 'beyond-archive-page-desktop.png') });
  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await p.setViewportSize(vp);
    await p.goto(`${URL_}/photos/${photo}`);
    await p.getByText('You archived this photo for yourself').waitFor();
    await p.screenshot({ path: join(shots, `beyond-archived-viewer-${size}.png`) });
  }
  await p.getByRole('button', { name: 'Bring it back' }).click();
  await p.getByRole('status').filter({ hasText: 'Back in your timeline' }).first().waitFor();
  await p.getByText('You archived this photo for yourself').waitFor({ state: 'detached' });
  assert.equal((await sdk.getAssetInfo({ id: photo }, ricoAuth)).visibility, 'timeline');
  await p.goto(URL_ + '/photos');
  await p.locator(`[data-asset-id="${photo}"]`).waitFor();
  assert.deepEqual(p.errors, undefined);
  await p.context().close();
});

test('beyond: Sara\'s own viewer shows neither Rico\'s heart nor his archive', async () => {
  const p = await page();
  await signIn(p, SARA, `/photos/${photo}`);
  await p.getByRole('button', { name: 'Favorite', exact: true }).waitFor();
  assert.notEqual(await p.getByRole('button', { name: 'Favorite', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.equal(await p.getByText('You archived this photo for yourself').count(), 0);
  await p.context().close();
});
