// assets.test.mjs: uploadAsset, getAssetInfo and downloadAsset through the
// real @immich/sdk client; then the same file through partnerctl import must
// give the same row (same code path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, mkdtempSync, copyFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as sdk from '@immich/sdk';

const env = process.env;
const note = (s) => appendFileSync(`${env.PARTNERD_TEST_STATE}/secrets.txt`, `${s}\n`);
sdk.init({ baseUrl: `${env.PARTNERD_TEST_URL}/api` });

const photo = join(env.PARTNERD_TEST_STATE, 'fixtures', 'sdk', 'sdk_0001.jpg');
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const sql = (query) => execFileSync('mariadb',
  ['--no-defaults', `--socket=${env.PARTNERD_TEST_DB_SOCKET}`, '-uroot', '-N', '-B', '-e', query],
  { encoding: 'utf8' }).trim();

let uploader;
let uploadedId;

test('sdk: a user uploads a photo with uploadAsset', async () => {
  execFileSync(`${env.PARTNERD_TEST_BUILDDIR}/partnerd-mkphotos`,
    [join(env.PARTNERD_TEST_STATE, 'fixtures', 'sdk'), '1', '99', 'sdk_']);
  const admin = await sdk.login({ loginCredentialDto: { email: 'sdk-admin@example.com', password: 'sdk-admin-password' } });
  note(admin.accessToken);
  note('sdk-photos-password');
  await sdk.createUserAdmin({ userAdminCreateDto: { email: 'sdk-photos@example.com', password: 'sdk-photos-password', name: 'Photos' } }, bearer(admin.accessToken));
  const login = await sdk.login({ loginCredentialDto: { email: 'sdk-photos@example.com', password: 'sdk-photos-password' } });
  note(login.accessToken);
  uploader = bearer(login.accessToken);
  const mtime = statSync(photo).mtime.toISOString();
  const res = await sdk.uploadAsset({
    assetMediaCreateDto: {
      assetData: new File([readFileSync(photo)], 'sdk_0001.jpg', { type: 'image/jpeg' }),
      fileCreatedAt: mtime,
      fileModifiedAt: mtime,
    },
  }, uploader);
  assert.equal(res.status, 'created');
  uploadedId = res.id;
});

test('sdk: getAssetInfo shows the EXIF data', async () => {
  const info = await sdk.getAssetInfo({ id: uploadedId }, uploader);
  assert.equal(info.type, 'IMAGE');
  assert.equal(info.originalFileName, 'sdk_0001.jpg');
  assert.equal(typeof info.exifInfo.latitude, 'number');
  assert.equal(typeof info.exifInfo.longitude, 'number');
  assert.ok(info.exifInfo.make);
  assert.ok(info.thumbhash);
});

test('sdk: downloadAsset returns the very same bytes', async () => {
  const blob = await sdk.downloadAsset({ id: uploadedId }, uploader);
  const got = Buffer.from(await blob.arrayBuffer());
  assert.ok(got.equals(readFileSync(photo)));
});

test('sdk: the same upload again is a duplicate', async () => {
  const mtime = statSync(photo).mtime.toISOString();
  const res = await sdk.uploadAsset({
    assetMediaCreateDto: {
      assetData: new File([readFileSync(photo)], 'again.jpg', { type: 'image/jpeg' }),
      fileCreatedAt: mtime,
      fileModifiedAt: mtime,
    },
  }, uploader);
  assert.equal(res.status, 'duplicate');
  assert.equal(res.id, uploadedId);
});

test('partnerctl import of the same file gives the same row', () => {
  const dir = mkdtempSync(join(env.PARTNERD_TEST_STATE, 'import-'));
  chmodSync(dir, 0o755);	// the worker's user reads it
  copyFileSync(photo, join(dir, 'sdk_0001.jpg'));
  // As the README says: partnerctl runs as the media directory's owner.
  execFileSync('sh', [env.PARTNERD_TEST_STACK, 'ctl',
    'import', '--quiet', '--owner', 'sdk-admin@example.com', dir]);
  // Everything but identity and bookkeeping must match.
  const cols = `a.type, a.original_file_name, a.mime_type, HEX(a.checksum), a.file_created_at,
    a.local_date_time, a.width, a.height, HEX(a.thumbhash), a.visibility, a.is_favorite,
    e.make, e.model, e.date_time_original, e.time_zone, e.latitude, e.longitude, e.file_size_bytes`;
  const row = (email) => sql(`SELECT ${cols} FROM partnerd.assets a JOIN partnerd.asset_exif e
    ON e.asset_id = a.id JOIN partnerd.users u ON u.id = a.owner_id
    WHERE u.email = '${email}' AND a.original_file_name = 'sdk_0001.jpg'`);
  const uploaded = row('sdk-photos@example.com');
  const imported = row('sdk-admin@example.com');
  assert.ok(uploaded.length > 0);
  assert.equal(imported, uploaded);
});
