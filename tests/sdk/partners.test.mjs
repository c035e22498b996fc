// partners.test.mjs: the partner flow through the real @immich/sdk client:
// share, list both ways, toggle the timeline flag, open and download the
// partner's photo, add it to one's own album, stop sharing and lose access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';

const env = process.env;
const note = (s) => appendFileSync(`${env.PARTNERD_TEST_STATE}/secrets.txt`, `${s}\n`);
sdk.init({ baseUrl: `${env.PARTNERD_TEST_URL}/api` });
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

const dir = join(env.PARTNERD_TEST_STATE, 'fixtures', 'sdk-partners');
let sharer, recipient, sharerAuth, recipientAuth, photoId, albumId;

async function account(email) {
  const admin = await sdk.login({ loginCredentialDto: { email: 'sdk-admin@example.com', password: 'sdk-admin-password' } });
  note(admin.accessToken);
  note(`${email}-pw`);
  const user = await sdk.createUserAdmin({ userAdminCreateDto: { email, password: `${email}-pw`, name: email } }, bearer(admin.accessToken));
  const login = await sdk.login({ loginCredentialDto: { email, password: `${email}-pw` } });
  note(login.accessToken);
  return [user, bearer(login.accessToken)];
}

test('sdk: a sharer shares with createPartner', async () => {
  [sharer, sharerAuth] = await account('sdk-sharer@example.com');
  [recipient, recipientAuth] = await account('sdk-recipient@example.com');
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`, [dir, '1', '77', 'p_']);
  const now = new Date().toISOString();
  const up = await sdk.uploadAsset({ assetMediaCreateDto: {
    assetData: new File([readFileSync(join(dir, 'p_0001.jpg'))], 'p_0001.jpg', { type: 'image/jpeg' }),
    fileCreatedAt: now, fileModifiedAt: now } }, sharerAuth);
  photoId = up.id;
  const res = await sdk.createPartner({ partnerCreateDto: { sharedWithId: recipient.id } }, sharerAuth);
  assert.equal(res.id, recipient.id);
  assert.equal(res.inTimeline, false);
  assert.deepEqual(Object.keys(res).sort(),
    ['avatarColor', 'email', 'id', 'inTimeline', 'name', 'profileChangedAt', 'profileImagePath', 'startDate']);
});

test('sdk: getPartners lists the share in both directions', async () => {
  const by = await sdk.getPartners({ direction: 'shared-by' }, sharerAuth);
  assert.deepEqual(by.map((p) => p.id), [recipient.id]);
  const withMe = await sdk.getPartners({ direction: 'shared-with' }, recipientAuth);
  assert.deepEqual(withMe.map((p) => p.id), [sharer.id]);
  // One way only.
  assert.deepEqual(await sdk.getPartners({ direction: 'shared-with' }, sharerAuth), []);
});

test('sdk: the recipient turns the timeline flag on and off', async () => {
  let res = await sdk.updatePartner({ id: sharer.id, partnerUpdateDto: { inTimeline: true } }, recipientAuth);
  assert.equal(res.id, sharer.id);
  assert.equal(res.inTimeline, true);
  res = await sdk.updatePartner({ id: sharer.id, partnerUpdateDto: { inTimeline: false } }, recipientAuth);
  assert.equal(res.inTimeline, false);
});

test('sdk: the recipient opens and downloads the partner\'s photo', async () => {
  const info = await sdk.getAssetInfo({ id: photoId }, recipientAuth);
  assert.equal(info.ownerId, sharer.id);
  assert.equal(info.isFavorite, false);
  const blob = await sdk.downloadAsset({ id: photoId }, recipientAuth);
  assert.ok(Buffer.from(await blob.arrayBuffer()).equals(readFileSync(join(dir, 'p_0001.jpg'))));
});

test('sdk: the recipient adds it to their own album', async () => {
  const album = await sdk.createAlbum({ createAlbumDto: { albumName: 'From my partner' } }, recipientAuth);
  albumId = album.id;
  const res = await sdk.addAssetsToAlbum({ id: albumId, bulkIdsDto: { ids: [photoId] } }, recipientAuth);
  assert.deepEqual(res, [{ id: photoId, success: true }]);
});

test('sdk: the recipient may not change the partner\'s photo', async () => {
  await assert.rejects(
    sdk.updateAsset({ id: photoId, updateAssetDto: { description: 'mine now' } }, recipientAuth),
    (err) => err.status === 400 && err.data.message === 'Not found or no asset.update access');
  await assert.rejects(
    sdk.updateAsset({ id: photoId, updateAssetDto: { visibility: 'hidden' } }, recipientAuth),
    (err) => err.status === 400 && err.data.message === 'Not found or no asset.update access');
});

test('sdk: the recipient\'s favourite of the partner\'s photo is their own (beyond Immich)', async () => {
  const mine = await sdk.updateAsset({ id: photoId, updateAssetDto: { isFavorite: true } }, recipientAuth);
  assert.equal(mine.isFavorite, true);
  assert.equal((await sdk.getAssetInfo({ id: photoId }, sharerAuth)).isFavorite, false);
  await sdk.updateAssets({ assetBulkUpdateDto: { ids: [photoId], isFavorite: false } }, recipientAuth);
  assert.equal((await sdk.getAssetInfo({ id: photoId }, recipientAuth)).isFavorite, false);
});

test('sdk: removePartner ends the share and the access with it', async () => {
  await sdk.removePartner({ id: recipient.id }, sharerAuth);
  assert.deepEqual(await sdk.getPartners({ direction: 'shared-with' }, recipientAuth), []);
  await assert.rejects(sdk.getAssetInfo({ id: photoId }, recipientAuth),
    (err) => err.status === 400 && err.data.message === 'Not found or no asset.read access');
  const album = await sdk.getAlbumInfo({ id: albumId }, recipientAuth);
  assert.equal(album.assets.length, 0);
});
