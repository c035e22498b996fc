// beyond-date.test.mjs: a share from a date on (README "Beyond Immich") in
// headless Chromium through nginx to the real worker: the date in the Add
// partner dialog, changed and cleared in Account settings -> Partner
// sharing, and "Shared since" on the recipient's Sharing page and on the
// sharer's library page. It runs after the web*.test.mjs files (check.sh),
// on their admin, or alone on a fresh database (it signs the admin up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';
import { URL_, shots, note, DESKTOP, PHONE, ADMIN, openBrowser, closeBrowser, page, signIn, apiLogin } from './browser.mjs';
const env = process.env;
const DANA = { name: 'Dana Dated', email: 'dana-date@example.com', password: 'dana-password' };
const RAVI = { name: 'Ravi Receiver', email: 'ravi-date@example.com', password: 'ravi-password' };
for (const u of [ADMIN, DANA, RAVI]) note(u.password);

let danaAuth, raviAuth, ravi, dana, february, march;
before(openBrowser);
after(closeBrowser);

/* Can Ravi read the photo id? */
const raviReads = (id) => sdk.getAssetInfo({ id }, raviAuth).then(() => true, (e) => {
  if (e.status === 400) return false;
  throw e;
});
const danaShare = async () => (await sdk.getPartners({ direction: 'shared-by' }, danaAuth))[0];

test('dated: Dana has a photo from February and one from March 2024', async () => {
  const cfg = await sdk.getServerConfig();
  if (!cfg.isInitialized) await sdk.signUpAdmin({ signUpDto: ADMIN });
  const adminAuth = await apiLogin(ADMIN);
  const make = (u) => sdk.createUserAdmin({ userAdminCreateDto: { ...u, shouldChangePassword: false } }, adminAuth);
  dana = await make(DANA);
  ravi = await make(RAVI);
  danaAuth = await apiLogin(DANA);
  raviAuth = await apiLogin(RAVI);
  const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'beyond-date');
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '2', '1819', 'dated_']);
  const ids = [];
  for (const [n, taken] of [['0001', '2024-02-10T10:00:00+01:00'], ['0002', '2024-03-20T10:00:00+01:00']]) {
    const now = new Date().toISOString();
    const id = (await sdk.uploadAsset({ assetMediaCreateDto: {
      assetData: new File([readFileSync(join(dir, `dated_${n}.jpg`))], `dated_${n}.jpg`, { type: 'image/jpeg' }),
      fileCreatedAt: now, fileModifiedAt: now } }, danaAuth)).id;
    await sdk.updateAsset({ id, updateAssetDto: { dateTimeOriginal: taken } }, danaAuth);
    ids.push(id);
  }
  [february, march] = ids;
});

test('dated: Add partner takes an optional start date, and Ravi sees only what was taken since', async () => {
  const p = await page();
  await signIn(p, DANA, '/user-settings#partner-sharing');
  await p.getByRole('button', { name: 'Add partner' }).click();
  const dlg = p.getByRole('dialog', { name: 'Add partner' });
  await dlg.getByRole('checkbox', { name: new RegExp(RAVI.name) }).check();
  await dlg.getByLabel('Share only photos taken on or after (optional)').fill('2024-03-01');
  await p.screenshot({ path: join(shots, 'beyond-date-add-desktop.png') });
  await dlg.getByRole('button', { name: 'Add', exact: true }).click();
  await dlg.waitFor({ state: 'hidden' });
  await p.getByText('Partner added').waitFor();
  assert.equal((await danaShare()).startDate, '2024-03-01');
  assert.equal(await raviReads(february), false);
  assert.equal(await raviReads(march), true);
  // The row shows the date, ready to change.
  assert.equal(await p.getByLabel(`Share photos taken from: ${RAVI.name}`).inputValue(), '2024-03-01');
  assert.deepEqual(p.errors, undefined);
  await p.context().close();
});

test('dated: Ravi\'s Sharing page says since when Dana shares', async () => {
  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const p = await page(vp);
    await signIn(p, RAVI, '/sharing');
    await p.getByText('Shared since 1 Mar 2024').waitFor();
    await p.screenshot({ path: join(shots, `beyond-date-sharing-${size}.png`) });
    // Dana's library says it too, and holds March's photo, not February's.
    await p.goto(`${URL_}/partners/${dana.id}`);
    await p.locator('.head').getByText('Shared since 1 Mar 2024').waitFor();
    await p.locator(`[data-asset-id="${march}"]`).waitFor();
    assert.equal(await p.locator(`[data-asset-id="${february}"]`).count(), 0);
    await p.screenshot({ path: join(shots, `beyond-date-partner-${size}.png`) });
    assert.deepEqual(p.errors, undefined);
    await p.context().close();
  }
});

test('dated: Dana changes the date in Account settings, then shares the whole library again', async () => {
  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const p = await page(vp);
    await signIn(p, DANA, '/user-settings#partner-sharing');
    const from = p.getByLabel(`Share photos taken from: ${RAVI.name}`);
    await from.waitFor();
    await from.scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(shots, `beyond-date-settings-${size}.png`) });
    if (size === 'phone') {	// the Add partner dialog on a phone, then Cancel
      await p.getByRole('button', { name: 'Add partner' }).click();
      const dlg = p.getByRole('dialog', { name: 'Add partner' });
      await dlg.getByLabel('Share only photos taken on or after (optional)').fill('2024-03-01');
      await p.screenshot({ path: join(shots, 'beyond-date-add-phone.png') });
      await dlg.getByRole('button', { name: 'Cancel' }).click();
      await dlg.waitFor({ state: 'hidden' });
    }
    assert.deepEqual(p.errors, undefined);
    await p.context().close();
  }
  const p = await page();
  await signIn(p, DANA, '/user-settings#partner-sharing');
  const from = p.getByLabel(`Share photos taken from: ${RAVI.name}`);
  await from.fill('2024-02-01');
  await p.getByText(`${RAVI.name} now sees photos taken since 1 Feb 2024`).waitFor();
  assert.equal((await danaShare()).startDate, '2024-02-01');
  assert.equal(await raviReads(february), true);
  await from.fill('2024-04-01');
  await p.getByText(`${RAVI.name} now sees photos taken since 1 Apr 2024`).waitFor();
  assert.equal(await raviReads(march), false);
  await p.getByRole('button', { name: `Share the whole library with ${RAVI.name}` }).click();
  await p.getByText(`${RAVI.name} now sees your whole library`).waitFor();
  assert.equal(await from.inputValue(), '');
  assert.equal((await danaShare()).startDate, null);
  assert.equal(await raviReads(february), true);
  assert.equal(await raviReads(march), true);
  await p.screenshot({ path: join(shots, 'beyond-date-cleared-desktop.png') });
  assert.deepEqual(p.errors, undefined);
  await p.context().close();
  // Ravi's Sharing page no longer names a day.
  const r = await page();
  await signIn(r, RAVI, '/sharing');
  await r.getByRole('link', { name: new RegExp(DANA.name) }).waitFor();
  assert.equal(await r.getByText('Shared since').count(), 0);
  await r.context().close();
});
