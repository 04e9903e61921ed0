// Drives Losant's official JavaScript client (losant-rest) through every
// action of the three owners, and the lists of the owners themselves,
// against cmd/losant-fake started with testdata/fixtures.json.
// Usage: LOSANT_URL=http://127.0.0.1:8080 node interop.js
'use strict';
const assert = require('node:assert/strict');
const api = require('losant-rest');

const url = process.env.LOSANT_URL;
if (!url) throw new Error('LOSANT_URL is not set');

const applicationId = '575ec8687ae143cd83dc4a97';
const appTokenId = '575ec7417ae143cd83dc4a95';
const userTokenId = '5a1f0e3b7ae143cd83dc4b02';
const instanceId = '575ec8687ae143cd83dc4a99';
const instanceTokenId = '5a1f0e3b7ae143cd83dc4b03';

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

// collection creates a token through the official client, finds it by
// listing with a filter, and checks that only the create returned the secret.
async function collection(name, resource, one, ids, scope) {
  const created = await resource.post({ ...ids, apiToken: { name: 'interop created', scope } });
  assert.ok(created.token, 'the create answer carries the secret');
  assert.equal(created.status, 'active');
  const page = await resource.get({ ...ids, filterField: 'name', filter: 'interop*', sortField: 'creationDate', sortDirection: 'desc', perPage: 5 });
  assert.equal(page.totalCount, 1);
  assert.equal(page.items[0].id, created.id);
  assert.equal(page.items[0].token, undefined, 'a list never returns the secret');
  await expectError(resource.post({ ...ids, apiToken: { name: 'dup', scope: [scope[0], scope[0]] } }), 400, 'Validation');
  await expectError(resource.get({ ...ids, sortField: 'owner' }), 400, 'Validation');
  assert.deepEqual(await one.delete({ ...ids, apiTokenId: created.id }), { success: true });
  console.log(`ok   ${name}: post (201 with secret), get with filter and sort, duplicate scope (400), bad sort (400)`);
}

// owners lists the applications and instances of the fixtures' user (ada)
// through the official client's applications.get and instances.get: only
// hers, sorted, filtered and paged, and refused to other tokens.
async function owners() {
  const all = await client.applications.get({ losantdomain: 'example.com' });
  assert.equal(all.count, 2, 'ada owns two applications; bob\'s Garage is not hers');
  assert.equal(all.totalCount, 2);
  assert.deepEqual(all.items.map((a) => a.name), ['Greenhouse', 'Weather Station']);
  const station = all.items[1];
  assert.equal(station.applicationId, station.id);
  assert.equal(station.ownerType, 'user');
  assert.equal(station.description, 'Rooftop sensors');
  assert.equal(station.creationDate, '2024-05-01T09:30:00Z');

  const second = await client.applications.get({ sortField: 'creationDate', sortDirection: 'desc', page: 1, perPage: 1 });
  assert.equal(second.count, 1);
  assert.equal(second.totalCount, 2);
  assert.equal(second.page, 1);
  assert.equal(second.perPage, 1);
  assert.deepEqual(second.items.map((a) => a.name), ['Greenhouse'], 'made in 2016 (its ObjectId\'s time), before Weather Station (2024)');
  const filtered = await client.applications.get({ filterField: 'name', filter: 'green*' });
  assert.deepEqual(filtered.items.map((a) => a.name), ['Greenhouse']);
  assert.equal(filtered.filter, 'green*');
  assert.equal((await client.applications.get({ orgId: '' })).count, 2, 'orgId blank: the user\'s own');
  assert.equal((await client.applications.get({ orgId: '575ece2b7ae143cd83dc4a9b' })).count, 0, 'no organizations in the fake');
  await expectError(client.applications.get({ sortField: 'status' }), 400, 'Validation');

  const instances = await client.instances.get({ sortField: 'name', sortDirection: 'desc' });
  assert.equal(instances.count, 2, 'ada is a member of two instances; not of Umbrella');
  assert.deepEqual(instances.items.map((i) => i.name), ['Initech', 'Acme']);
  assert.deepEqual(instances.items[0].members, [
    { userId: '575ed70c7ae143cd83dc4ab0', role: 'admin' },
    { userId: '575ed70c7ae143cd83dc4aa9', role: 'view' },
  ]);
  assert.equal(instances.items[1].instanceId, instanceId);
  const page = await client.instances.get({ perPage: 1, page: 1 });
  assert.deepEqual([page.count, page.totalCount, page.items[0].name], [1, 2, 'Initech']);
  await expectError(client.instances.get({ sortField: 'ownerId' }), 400, 'Validation');

  const appToken = api.createClient({ url, accessToken: 'lsnt_app_demo_secret' });
  await expectError(appToken.applications.get(), 403, 'Forbidden');
  const instanceReader = api.createClient({ url, accessToken: 'lsnt_instance_demo_secret' });
  await expectError(instanceReader.instances.get(), 403, 'Forbidden');
  console.log('ok   applications.get, instances.get: the user\'s own, sorted, filtered, paged, orgId; bad sort (400); an application\'s and an instance\'s token (403)');
}

async function main() {
  const stranger = api.createClient({ url, accessToken: 'not-a-known-token' });
  await expectError(stranger.userApiToken.get({ apiTokenId: userTokenId }), 401, 'Unauthorized');
  const backup = api.createClient({ url, accessToken: 'lsnt_backup_demo_secret' });
  await expectError(backup.userApiToken.delete({ apiTokenId: userTokenId }), 403, 'Forbidden');
  console.log('ok   unknown token (401), read-only token deleting (403)');

  await owners(); // first: the walks below retire the application's and the instance's tokens

  await collection('applicationApiTokens', client.applicationApiTokens, client.applicationApiToken, { applicationId }, ['all.Application.read']);
  await collection('userApiTokens', client.userApiTokens, client.userApiToken, {}, ['all.User.read']);
  await walk('applicationApiToken', client.applicationApiToken, { applicationId, apiTokenId: appTokenId });
  await walk('userApiToken', client.userApiToken, { apiTokenId: userTokenId });
  await collection('instanceApiTokens', client.instanceApiTokens, client.instanceApiToken, { instanceId }, ['all.Instance.read']);
  const instanceReader = api.createClient({ url, accessToken: 'lsnt_instance_demo_secret' });
  assert.equal((await instanceReader.instanceApiTokens.get({ instanceId })).ownerType, 'instance');
  await expectError(instanceReader.instanceApiToken.delete({ instanceId, apiTokenId: instanceTokenId }), 403, 'Forbidden');
  await expectError(instanceReader.applicationApiTokens.get({ applicationId }), 403, 'Forbidden');
  console.log('ok   instance read-only token: lists its tokens, deleting (403), on an application (403)');
  await walk('instanceApiToken', client.instanceApiToken, { instanceId, apiTokenId: instanceTokenId });
  console.log('losant-rest interop: every action behaved as the spec says');
}

main().catch((err) => {
  console.error('FAIL', err);
  process.exit(1);
});
