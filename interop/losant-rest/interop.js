// Drives Losant's official JavaScript client (losant-rest) through every
// action against cmd/losant-fake started with testdata/fixtures.json.
// Usage: LOSANT_URL=http://127.0.0.1:8080 node interop.js
'use strict';
const assert = require('node:assert/strict');
const api = require('losant-rest');

const url = process.env.LOSANT_URL;
if (!url) throw new Error('LOSANT_URL is not set');

const applicationId = '575ec8687ae143cd83dc4a97';
const appTokenId = '575ec7417ae143cd83dc4a95';
const userTokenId = '5a1f0e3b7ae143cd83dc4b02';

const client = api.createClient({ url, accessToken: 'lsnt_user_demo_secret' });

async function expectError(promise, statusCode, type) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.statusCode, statusCode, err.message);
    assert.equal(err.type, type, err.message);
    return err;
  }
  throw new Error(`expected a ${statusCode} ${type} error`);
}

async function walk(name, resource, ids) {
  const got = await resource.get({ ...ids, losantdomain: 'example.com' });
  assert.equal(got.id, ids.apiTokenId);
  assert.equal(got.status, 'active');
  assert.equal(got.token, undefined, 'a get never returns the secret');

  const patched = await resource.patch({ ...ids, apiToken: { name: `${got.name} (retired)`, status: 'inactive' } });
  assert.equal(patched.name, `${got.name} (retired)`);
  assert.equal(patched.status, 'inactive');
  assert.ok(new Date(patched.lastUpdated) >= new Date(got.lastUpdated));

  const again = await resource.get(ids);
  assert.deepEqual(again, patched);

  await expectError(resource.patch({ ...ids, apiToken: { status: 'paused' } }), 400, 'Validation');
  await expectError(resource.get({ ...ids, apiTokenId: 'not-an-id' }), 400, 'Validation');

  assert.deepEqual(await resource.delete(ids), { success: true });
  await expectError(resource.get(ids), 404, 'NotFound');
  console.log(`ok   ${name}: get, patch, get, bad patch (400), bad id (400), delete, get (404)`);
}

async function main() {
  const stranger = api.createClient({ url, accessToken: 'not-a-known-token' });
  await expectError(stranger.userApiToken.get({ apiTokenId: userTokenId }), 401, 'Unauthorized');
  const backup = api.createClient({ url, accessToken: 'lsnt_backup_demo_secret' });
  await expectError(backup.userApiToken.delete({ apiTokenId: userTokenId }), 403, 'Forbidden');
  console.log('ok   unknown token (401), read-only token deleting (403)');

  await walk('applicationApiToken', client.applicationApiToken, { applicationId, apiTokenId: appTokenId });
  await walk('userApiToken', client.userApiToken, { apiTokenId: userTokenId });
  console.log('losant-rest interop: every action behaved as the spec says');
}

main().catch((err) => {
  console.error('FAIL', err);
  process.exit(1);
});
