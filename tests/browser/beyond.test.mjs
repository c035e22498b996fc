// beyond.test.mjs: partnerd's features beyond Immich (README "Beyond
// Immich") in headless Chromium through nginx to the real worker: a
// recipient leaves a share from the Sharing page, after confirming. It runs
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
