// accounts.test.mjs: the @immich/sdk 3.2.2 client against partnerd, through
// nginx, on a fresh database: sign up the admin, log in, create users as
// admin, read users/me, list users and log out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import * as sdk from '@immich/sdk';

const baseUrl = `${process.env.PARTNERD_TEST_URL}/api`;
const secrets = `${process.env.PARTNERD_TEST_STATE}/secrets.txt`;
const note = (s) => appendFileSync(secrets, `${s}\n`);

sdk.init({ baseUrl });

const admin = { email: 'sdk-admin@example.com', password: 'sdk-admin-password', name: 'SDK Admin' };
const user = { email: 'sdk-user@example.com', password: 'sdk-user-password', name: 'SDK User' };
note(admin.password);
note(user.password);
let adminAuth;
let userId;

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

test('sdk: signUpAdmin creates the first admin', async () => {
  const res = await sdk.signUpAdmin({ signUpDto: admin });
  assert.equal(res.email, admin.email);
  assert.equal(res.isAdmin, true);
  assert.equal(res.name, admin.name);
  assert.match(res.id, /^[0-9a-f-]{36}$/);
});

test('sdk: a second signUpAdmin is refused with Immich\'s message', async () => {
  await assert.rejects(
    sdk.signUpAdmin({ signUpDto: { ...admin, email: 'other@example.com' } }),
    (err) => err.status === 400 && err.data.message === 'The server already has an admin',
  );
});

test('sdk: login returns a bearer token', async () => {
  const res = await sdk.login({ loginCredentialDto: { email: admin.email, password: admin.password } });
  note(res.accessToken);
  assert.equal(res.userEmail, admin.email);
  assert.equal(res.isAdmin, true);
  assert.ok(res.accessToken.length >= 40);
  adminAuth = bearer(res.accessToken);
});

test('sdk: createUserAdmin creates a user', async () => {
  const res = await sdk.createUserAdmin({ userAdminCreateDto: user }, adminAuth);
  assert.equal(res.email, user.email);
  assert.equal(res.isAdmin, false);
  assert.equal(res.deletedAt, null);
  userId = res.id;
});

test('sdk: the new user can log in and read users/me', async () => {
  const login = await sdk.login({ loginCredentialDto: { email: user.email, password: user.password } });
  note(login.accessToken);
  const me = await sdk.getMyUser(bearer(login.accessToken));
  assert.equal(me.id, userId);
  assert.equal(me.email, user.email);
  assert.equal(me.name, user.name);
  assert.equal(typeof me.avatarColor, 'string');
  assert.equal(me.status, 'active');
});

test('sdk: searchUsers lists both accounts', async () => {
  const users = await sdk.searchUsers(adminAuth);
  const emails = users.map((u) => u.email).sort();
  assert.deepEqual(emails, [admin.email, user.email].sort());
});

test('sdk: validateAccessToken accepts the session', async () => {
  const res = await sdk.validateAccessToken(adminAuth);
  assert.equal(res.authStatus, true);
});

test('sdk: logout ends the session', async () => {
  const res = await sdk.logout(adminAuth);
  assert.equal(res.successful, true);
  await assert.rejects(sdk.getMyUser(adminAuth),
    (err) => err.status === 401 && err.data.message === 'Invalid user token');
});
