'use strict';
// The contract test: starts the real emulator, calls every operation of both OpenAPI documents
// (their successes and their documented errors), and validates each answer's status,
// Content-Type, headers and body against the documents (validator.js). Also checks that the
// documents list exactly the emulator's routes, that the served documents are the files in
// schema/openapi/, and that every event the emulator emits and every webhook it delivers
// matches the Administration API document's webhooks.
//
// Environment: KEYLESS_EMULATOR_BIN (the binary), KEYLESS_EMULATOR_SOURCE_ROOT (the tree).
const fs = require('fs');
const path = require('path');
const { Documents } = require('./validator');
const { start, stop, cleanup, request, receiver, sleep } = require('./emulator');

const VND = 'application/vnd.assaabloy.keyless.administration-2+json';
const SRC = process.env.KEYLESS_EMULATOR_SOURCE_ROOT || path.resolve(__dirname, '../..');
const BIN = process.env.KEYLESS_EMULATOR_BIN;
const ADMIN = 'administration.json';
const CONTROL = 'control.json';
const NOW = '2030-01-01T08:00:00Z';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const CONTROL_TOKEN = 'contract-control-token';

// Documented responses no request through the public surfaces can provoke.
const EXEMPT = {
  [`${CONTROL} POST /hardware/locking-devices 409`]:
    'only after 32 serial-number draws in a row hit taken serials',
  [`${CONTROL} POST /hardware/gateway-devices 409`]:
    'only after 32 serial-number draws in a row hit taken serials',
  [`${CONTROL} POST /systems/{system-id}/webhooks/flush 503`]:
    'needs a receiver that stalls for the whole 30 s flush budget',
  [`${CONTROL} POST /snapshots/{name}/restore 409`]:
    'needs a snapshot made by an emulator with other migrations',
  [`${CONTROL} POST /systems/{system-id}/trigger 500`]:
    'only a story that did not emit its event, a bug, answers it',
};

const docs = new Documents();
let passed = 0;

function expectThat(what, ok, detail) {
  if (ok) passed++;
  else docs.fail(what, detail);
  return ok;
}

// One client per emulator: every call is checked against the documents.
class Client {
  constructor(base) {
    this.base = base;
  }

  async call(expect, method, pathAndQuery, opts = {}) {
    const url = this.base + pathAndQuery;
    const what = `${method} ${pathAndQuery}`;
    const res = await request(method, url, opts);
    const wanted = Array.isArray(expect) ? expect : [expect];
    if (expectThat(what, wanted.includes(res.status),
      `status ${res.status}, want ${wanted.join(' or ')}: ${res.text.slice(0, 400)}`) &&
      res.status < 300) {
      this.checkRequest(what, method, url, opts);
    }
    docs.checkResponse(what, { method, url }, res);
    try {
      res.json = res.text ? JSON.parse(res.text) : undefined;
    } catch (e) {
      res.json = undefined;
    }
    return res;
  }

  // A request that succeeded must be one the document allows.
  checkRequest(what, method, url, opts) {
    const u = new URL(url);
    const found = docs.find(u.pathname, method);
    if (!found) return;
    docs.checkQuery(what, found, u.searchParams);
    const type = Object.entries(opts.headers || {})
      .find(([h]) => h.toLowerCase() === 'content-type');
    if (opts.body && opts.body.raw !== undefined) return;
    docs.checkRequest(what, found, type ? type[1] : 'application/json', opts.body);
  }
}

// The Administration API as one system's administrator.
class Admin {
  constructor(client, apiKey, token) {
    Object.assign(this, { client, apiKey, token });
  }

  headers(extra = {}) {
    const h = { 'X-Api-Key': this.apiKey, Accept: VND };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return { ...h, ...extra };
  }

  async call(expect, method, p, body, extraHeaders = {}) {
    const opts = { headers: this.headers(extraHeaders) };
    if (body !== undefined) opts.body = body;
    return this.client.call(expect, method, '/administration' + p, opts);
  }
}

async function control(client, expect, method, p, body, headers = {}) {
  const opts = { headers };
  if (body !== undefined) opts.body = body;
  return client.call(expect, method, '/_emulator/v1' + p, opts);
}

// ---- the routes in the source tree, to compare with the documents --------------------------

function routesOf(file) {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const macros = {};
  for (const m of text.matchAll(/^#define (\w+) "([^"]*)"$/gm)) macros[m[1]] = m[2];
  const routes = [];
  const table = text.slice(text.indexOf('[] = {'));
  for (const m of table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*((?:"[^"]*"|\w+)(?:\s+(?:"[^"]*"|\w+))*),/g)) {
    const p = m[2].split(/\s+/).map((t) => t.startsWith('"') ? t.slice(1, -1) : macros[t])
      .join('');
    routes.push(`${m[1]} ${p}`);
  }
  return routes;
}

function documentedRoutes(name) {
  const doc = docs.docs[name].doc;
  const out = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) out.push(`${m.toUpperCase()} ${p}`);
    }
  }
  return out;
}

function sameSet(what, a, b) {
  const missing = a.filter((x) => !b.includes(x));
  const extra = b.filter((x) => !a.includes(x));
  expectThat(what, missing.length === 0 && extra.length === 0,
    `routes without documentation: ${missing.join(', ') || 'none'}; documented but not ` +
    `routed: ${extra.join(', ') || 'none'}`);
}

// ---- generic errors, for every operation of a document --------------------------------------

function fillPath(template) {
  return template.replace(/\{[^}]+\}/g, UNKNOWN);
}

function operations(name) {
  return docs.docs[name].ops.map((o) => ({ ...o, path: fillPath(o.template),
    method: o.method.toUpperCase() }));
}

async function adminGenericErrors(client, a, userToken, limitedKey) {
  for (const o of operations(ADMIN)) {
    const p = '/administration' + o.path;
    const login = o.template === '/login';
    const body = o.op.requestBody ? {} : undefined;
    const jsonType = o.method === 'PATCH' ? 'application/json-patch+json' : 'application/json';
    await client.call(403, o.method, p, { headers: { Accept: VND }, body });
    await client.call(406, o.method, p, { headers: a.headers({ Accept: 'application/json' }),
      body });
    if (!login) {
      await client.call(401, o.method, p, { headers: { 'X-Api-Key': a.apiKey, Accept: VND },
        body });
      await client.call(403, o.method, p, {
        headers: { ...a.headers(), Authorization: `Bearer ${userToken}` }, body });
    }
    // The limited key's bucket (burst 1, one more per second) is emptied by an unchecked
    // request right before the checked one.
    const limited = { headers: { 'X-Api-Key': limitedKey, Accept: VND } };
    await request(o.method, client.base + p, limited);
    await client.call(429, o.method, p, limited);
    if (o.op.requestBody) {
      await client.call(415, o.method, p, { headers: a.headers({ 'Content-Type': 'text/plain' }),
        body: { raw: 'x' } });
      await client.call(413, o.method, p, { headers: a.headers({ 'Content-Type': jsonType }),
        body: { raw: Buffer.alloc(1024 * 1024 + 1, 0x20) }, expectContinue: true });
      await client.call(400, o.method, p, { headers: a.headers({ 'Content-Type': jsonType }),
        body: { raw: '{"unterminated": ' } });
    }
    if (o.op.parameters && JSON.stringify(o.op.parameters).includes('/Limit')) {
      await client.call(400, o.method, p + '?limit=0', { headers: a.headers() });
    }
  }
}

async function controlGenericErrors(client, systemId) {
  for (const o of operations(CONTROL)) {
    const p = '/_emulator/v1' + o.path;
    if (o.op.requestBody) {
      await client.call(415, o.method, p, { headers: { 'Content-Type': 'text/plain' },
        body: { raw: 'x' } });
      await client.call(413, o.method, p, { body: { raw: Buffer.alloc(1024 * 1024 + 1, 0x20) },
        expectContinue: true });
    }
    if (o.op.parameters && JSON.stringify(o.op.parameters).includes('/Limit')) {
      const list = o.path.replace(UNKNOWN, systemId);
      await client.call(400, o.method, '/_emulator/v1' + list + '?limit=101');
    }
    // A page of another site may not change anything (the check comes before the handler).
    if (o.op.responses['403']) {
      await client.call(403, o.method, p, { headers: { Origin: 'https://elsewhere.example' } });
    }
  }
}

async function notRouted(client) {
  // A method each documented path lacks (405 with Allow), and a path that is no operation.
  for (const [name, prefix] of [[ADMIN, '/administration'], [CONTROL, '/_emulator/v1']]) {
    for (const [template, item] of Object.entries(docs.docs[name].doc.paths)) {
      const method = ['put', 'patch', 'delete', 'post', 'get'].find((m) => !item[m]);
      if (method) await client.call(405, method.toUpperCase(), prefix + fillPath(template));
    }
    await client.call(404, 'GET', prefix + '/no-such-operation');
  }
}

// ---- the Administration API, operation by operation -------------------------------------------

async function adminScenario(client, hooks) {
  const sys = (await control(client, 201, 'POST', '/systems',
    { name: 'Contract', clock: { mode: 'frozen', time: NOW } })).json;
  await control(client, 201, 'POST', `/systems/${sys.id}/webhook-subscriptions`,
    { url: hooks.url });
  const anon = new Admin(client, sys.apiKey, null);
  await anon.call(401, 'POST', '/login', { userId: sys.admin.userId, accessKey: 'wrong-key' });
  await anon.call(400, 'POST', '/login', { userId: 'not-a-uuid', colour: 'red' });
  const token = (await anon.call(200, 'POST', '/login', sys.admin)).json.token;
  const a = new Admin(client, sys.apiKey, token);

  // Users
  const user = (await a.call(201, 'POST', '/user', { role: 'USER' })).json;
  await a.call(201, 'POST', '/user', { role: 'ADMIN' });
  const victim = (await a.call(201, 'POST', '/user', { role: 'USER' })).json;
  await a.call(400, 'POST', '/user', { role: 'BOSS' });
  const page = (await a.call(200, 'GET', '/user?limit=1')).json;
  await a.call(200, 'GET', `/user?limit=1&next-page-token=${encodeURIComponent(page.nextPageToken)}`);
  await a.call(400, 'GET', '/user?next-page-token=forged');
  await a.call(200, 'GET', `/user/${user.id}`);
  await a.call(404, 'GET', `/user/${UNKNOWN}`);
  const userToken = (await anon.call(200, 'POST', '/login',
    { userId: user.id, accessKey: user.accessKey })).json.token;

  // Invitations and operating devices
  const inv = (await a.call(201, 'POST', '/operating-device-invitation',
    { userId: user.id, deliveryMechanism: 'NONE' })).json;
  expectThat('NONE invitation', inv.invitationCode && inv.environmentUrl, JSON.stringify(inv));
  await a.call(201, 'POST', '/operating-device-invitation', { userId: user.id,
    deliveryMechanism: 'SMS', phoneNumber: '+358506722871', validityDuration: 'PT1H' });
  const emailInv = (await a.call(201, 'POST', '/operating-device-invitation', { userId: user.id,
    deliveryMechanism: 'EMAIL', email: 'jane.doe@example.com', format: 'INVITATION_CODE' })).json;
  await a.call(400, 'POST', '/operating-device-invitation',
    { userId: user.id, deliveryMechanism: 'SMS', email: 'x@example.com' });
  await a.call(404, 'POST', '/operating-device-invitation',
    { userId: UNKNOWN, deliveryMechanism: 'NONE' });
  await a.call(204, 'DELETE', `/operating-device-invitation/${emailInv.id}`);
  await a.call(404, 'DELETE', `/operating-device-invitation/${UNKNOWN}`);
  const phone = (await control(client, 201, 'POST', '/invitations/accept',
    { invitationCode: inv.invitationCode })).json;
  await control(client, 409, 'POST', '/invitations/accept', { invitationId: inv.id });
  await control(client, 410, 'POST', '/invitations/accept', { invitationId: emailInv.id });
  await control(client, 404, 'POST', '/invitations/accept', { invitationCode: 'NOPE-NOPE' });
  await control(client, 400, 'POST', '/invitations/accept', {});
  await a.call(409, 'DELETE', `/operating-device-invitation/${inv.id}`);
  await a.call(200, 'GET', '/operating-device');
  await a.call(200, 'GET', `/operating-device?user-id=${user.id}&limit=10`);
  await a.call(400, 'GET', '/operating-device?user-id=nope');
  const inv2 = (await a.call(201, 'POST', '/operating-device-invitation',
    { userId: victim.id, deliveryMechanism: 'NONE', format: 'INVITATION_CODE' })).json;
  const phone2 = (await control(client, 201, 'POST', '/invitations/accept',
    { invitationId: inv2.id })).json;
  await a.call(204, 'DELETE', `/operating-device/${phone2.operatingDeviceId}`);
  await a.call(404, 'DELETE', `/operating-device/${phone2.operatingDeviceId}`);
  await a.call(204, 'DELETE', `/user/${victim.id}`);
  await a.call(404, 'DELETE', `/user/${victim.id}`);
  // A legacy operating device (from before v2's invitations) goes only with its user.
  const elder = (await a.call(201, 'POST', '/user', { role: 'USER' })).json;
  const legacyPath = `/systems/${sys.id}/legacy-operating-devices`;
  const legacy = (await control(client, 201, 'POST', legacyPath, { userId: elder.id })).json;
  await control(client, 409, 'POST', legacyPath, { userId: elder.id });
  await control(client, 400, 'POST', legacyPath, { userId: 'nope' });
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/legacy-operating-devices`,
    { userId: elder.id });
  await a.call(409, 'DELETE', `/operating-device/${legacy.operatingDeviceId}`);
  await a.call(204, 'DELETE', `/user/${elder.id}`);

  // Locking devices
  const lock = (await a.call(201, 'POST', '/locking-device', { name: 'Front Gate' })).json;
  const spare = (await a.call(201, 'POST', '/locking-device', { name: 'Back Door' })).json;
  await a.call(400, 'POST', '/locking-device', { name: '' });
  const patch = { 'Content-Type': 'application/json-patch+json' };
  await a.call(204, 'PATCH', `/locking-device/${spare.id}`,
    [{ op: 'test', path: '/claimingStatus', value: 'UNCLAIMED' },
      { op: 'replace', path: '/name', value: 'Back Gate' }], patch);
  await a.call(409, 'PATCH', `/locking-device/${spare.id}`,
    [{ op: 'test', path: '/name', value: 'Somewhere Else' }], patch);
  await a.call(400, 'PATCH', `/locking-device/${spare.id}`,
    [{ op: 'replace', path: '/claimingStatus', value: 'CLAIMED' }], patch);
  await a.call(204, 'PATCH', `/locking-device/${spare.id}`, [], patch); // RFC 6902: no operations, no change
  await a.call(404, 'PATCH', `/locking-device/${UNKNOWN}`,
    [{ op: 'replace', path: '/name', value: 'x' }], patch);
  const hw = (await control(client, 201, 'POST', '/hardware/locking-devices',
    { hardwareModel: 'PADLOCK', operationalCertificateLifetime: 'P400D' })).json;
  await control(client, 400, 'POST', '/hardware/locking-devices', { hardwareModel: 'DOOR' });
  await control(client, 200, 'GET', `/hardware/locking-devices/${hw.serialNumber}`);
  await control(client, 404, 'GET', '/hardware/locking-devices/BPLAD999999X');
  await control(client, 200, 'POST', `/operating-devices/${phone.operatingDeviceId}/claim`,
    { lockingDeviceId: lock.id, serialNumber: hw.serialNumber });
  await control(client, 409, 'POST', `/operating-devices/${phone.operatingDeviceId}/claim`,
    { lockingDeviceId: lock.id, serialNumber: hw.serialNumber });
  await control(client, 404, 'POST', `/operating-devices/${UNKNOWN}/claim`,
    { lockingDeviceId: lock.id, serialNumber: hw.serialNumber });
  await control(client, 400, 'POST', `/operating-devices/${phone.operatingDeviceId}/claim`,
    { lockingDeviceId: 'x' });
  await a.call(200, 'GET', '/locking-device');
  await a.call(200, 'GET', `/locking-device?claiming-status=CLAIMED&serial-number=${hw.serialNumber}`);
  await a.call(400, 'GET', '/locking-device?claiming-status=LOST');
  await a.call(200, 'GET', `/locking-device/${lock.id}`);
  await a.call(404, 'GET', `/locking-device/${UNKNOWN}`);

  // Permissions
  const single = { userId: user.id, lockingDeviceId: lock.id, operationType: 'OPEN',
    permissionType: 'SINGLE_INTERVAL', start: '2030-01-01T00:00:00Z', end: '2030-03-01T00:00:00Z' };
  const perm = (await a.call(201, 'POST', '/permission', single)).json;
  const recurring = (await a.call(201, 'POST', '/permission', { ...single,
    permissionType: 'RECURRING', operationType: 'UPDATE_TIME', operatingKeyValidityDuration: 'P2D',
    weekdays: ['MONDAY', 'TUESDAY'], intervals: ['08:00-12:00'] })).json;
  await a.call(400, 'POST', '/permission', { ...single, permissionType: 'RECURRING' });
  await a.call(404, 'POST', '/permission', { ...single, userId: UNKNOWN });
  await a.call(200, 'GET', '/permission');
  await a.call(200, 'GET', `/permission/${recurring.id}`);
  await a.call(404, 'GET', `/permission/${UNKNOWN}`);
  await a.call(204, 'PUT', `/permission/${perm.id}`, { ...single, operatingKeyValidityDuration: 'P3D' });
  await a.call(400, 'PUT', `/permission/${perm.id}`, { ...single, end: '2029-01-01T00:00:00Z' });
  await a.call(404, 'PUT', `/permission/${UNKNOWN}`, single);
  await a.call(204, 'DELETE', `/permission/${recurring.id}`);
  await a.call(404, 'DELETE', `/permission/${recurring.id}`);

  // The phone at the lock: keys, audit and system log entries, then re-keying.
  const pid = phone.operatingDeviceId;
  await control(client, 200, 'POST', `/operating-devices/${pid}/sync`);
  await control(client, 404, 'POST', `/operating-devices/${UNKNOWN}/sync`);
  await control(client, 200, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: lock.id, operation: 'unlock', online: true });
  await control(client, 400, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: lock.id, operation: 'fly', online: true });
  await control(client, 409, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: spare.id, operation: 'unlock', online: true });
  await control(client, 404, 'POST', `/operating-devices/${UNKNOWN}/visit`,
    { lockingDeviceId: lock.id, operation: 'unlock', online: true });
  await control(client, 201, 'POST', `/locking-devices/${lock.id}/system-events`,
    { eventName: 'BATTERY_LOW' });
  await control(client, 409, 'POST', `/locking-devices/${spare.id}/system-events`,
    { eventName: 'BATTERY_LOW' });
  await control(client, 404, 'POST', `/locking-devices/${UNKNOWN}/system-events`,
    { eventName: 'BATTERY_LOW' });
  await control(client, 400, 'POST', `/locking-devices/${lock.id}/system-events`, {});
  await a.call(204, 'POST', `/testing/locking-device/${lock.id}/re-key`);
  await a.call(409, 'POST', `/testing/locking-device/${spare.id}/re-key`);
  await a.call(404, 'POST', `/testing/locking-device/${UNKNOWN}/re-key`);
  await control(client, 200, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: lock.id, operation: 'lock', online: true });

  // Offline keys
  const offline = { operatingDeviceId: pid, lockingDeviceId: lock.id,
    startDatetime: NOW, endDatetime: '2030-01-01T20:00:00Z', deliveryMechanism: 'NONE' };
  const key = (await a.call(201, 'POST', '/offline-key', offline)).json;
  await a.call(201, 'POST', '/offline-key', { ...offline, deliveryMechanism: 'SMS_WITH_APP_LINK',
    phoneNumber: '+358506722871', appLinkBaseUrl: 'https://keys.example.com' });
  await a.call(400, 'POST', '/offline-key', { ...offline, endDatetime: '2030-01-03T08:00:00Z' });
  await a.call(404, 'POST', '/offline-key', { ...offline, operatingDeviceId: UNKNOWN });
  await a.call(200, 'GET', '/offline-key?limit=1');
  await control(client, 200, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: lock.id, operation: 'unlock', online: false,
      offlineKey: key.primaryKey.value });
  await control(client, 200, 'POST', `/operating-devices/${pid}/sync`);

  // Lock logs
  await a.call(200, 'GET', `/locking-device-system-log?locking-device-id=${lock.id}`);
  await a.call(200, 'GET', '/locking-device-system-log?sort-direction=DESC&limit=1' +
    '&sequence-number-greater-than=0&after-datetime=2029-12-31T00:00:00Z');
  await a.call(400, 'GET', '/locking-device-system-log?sort-direction=UP');
  await a.call(404, 'GET', `/locking-device-system-log?locking-device-id=${UNKNOWN}`);
  const audit = (await a.call(200, 'GET', `/locking-device-audit-log?locking-device-id=${lock.id}&limit=2`)).json;
  await a.call(200, 'GET', `/locking-device-audit-log?locking-device-id=${lock.id}&limit=2` +
    `&next-page-token=${encodeURIComponent(audit.nextPageToken || '')}`);
  await a.call(400, 'GET', '/locking-device-audit-log?sequence-number-greater-than=-1');
  await a.call(404, 'GET', `/locking-device-audit-log?locking-device-id=${UNKNOWN}`);

  // Gateways, associations, remote commands
  const gwHw = (await control(client, 201, 'POST', '/hardware/gateway-devices')).json;
  const gwHw2 = (await control(client, 201, 'POST', '/hardware/gateway-devices',
    { firmwareVersion: '0.7.0' })).json;
  await control(client, 400, 'POST', '/hardware/gateway-devices', { hardwareModel: 'X' });
  await control(client, 404, 'GET', '/hardware/gateway-devices/BGWA1NOPE');
  const gw = (await a.call(201, 'POST', '/gateway-device',
    { claimingCode: gwHw.claimingCode.toLowerCase() })).json;
  const gw2 = (await a.call(201, 'POST', '/gateway-device', { claimingCode: gwHw2.claimingCode })).json;
  await control(client, 200, 'GET', `/hardware/gateway-devices/${gwHw.serialNumber}`);
  await a.call(409, 'POST', '/gateway-device', { claimingCode: gwHw.claimingCode });
  await a.call(404, 'POST', '/gateway-device', { claimingCode: 'ZZZZ-ZZZZ' });
  await a.call(400, 'POST', '/gateway-device', {});
  const assoc = (await a.call(201, 'POST', '/gateway-device-association',
    { gatewayDeviceId: gw.id, lockingDeviceId: lock.id })).json;
  await a.call(409, 'POST', '/gateway-device-association',
    { gatewayDeviceId: gw.id, lockingDeviceId: lock.id });
  await a.call(404, 'POST', '/gateway-device-association',
    { gatewayDeviceId: UNKNOWN, lockingDeviceId: lock.id });
  await a.call(400, 'POST', '/gateway-device-association', { gatewayDeviceId: gw.id });
  const assoc2 = (await a.call(201, 'POST', '/gateway-device-association',
    { gatewayDeviceId: gw2.id, lockingDeviceId: spare.id })).json;
  await a.call(200, 'GET', '/gateway-device-association');
  await a.call(200, 'GET', `/gateway-device-association?gateway-device-id=${gw.id}`);
  await a.call(400, 'GET', '/gateway-device-association?gateway-device-id=nope');
  await a.call(200, 'GET', `/gateway-device-association/${assoc.id}`);
  await a.call(404, 'GET', `/gateway-device-association/${UNKNOWN}`);
  await a.call(204, 'DELETE', `/gateway-device-association/${assoc2.id}`);
  await a.call(404, 'DELETE', `/gateway-device-association/${assoc2.id}`);
  const command = { gatewayDeviceId: gw.id, lockingDeviceId: lock.id, action: 'OPEN' };
  await a.call(409, 'POST', '/remote-command', command);
  await control(client, 409, 'POST', `/gateway-devices/${gw.id}/wake`);
  await control(client, 200, 'POST', `/gateway-devices/${gw.id}/power-on`);
  await control(client, 404, 'POST', `/gateway-devices/${UNKNOWN}/power-on`);
  await a.call(200, 'GET', '/gateway-device');
  await a.call(200, 'GET', `/gateway-device/${gw.id}`);
  await a.call(404, 'GET', `/gateway-device/${UNKNOWN}`);
  const cmd = (await a.call(201, 'POST', '/remote-command', command)).json;
  const cancelled = (await a.call(201, 'POST', '/remote-command', command)).json;
  await a.call(400, 'POST', '/remote-command', { ...command, action: 'CLOSE' });
  await a.call(404, 'POST', '/remote-command', { ...command, lockingDeviceId: UNKNOWN });
  await a.call(204, 'POST', `/remote-command/${cancelled.id}/cancel`);
  await a.call(409, 'POST', `/remote-command/${cancelled.id}/cancel`);
  await a.call(404, 'POST', `/remote-command/${UNKNOWN}/cancel`);
  await control(client, 200, 'POST', `/gateway-devices/${gw.id}/wake`);
  await control(client, 404, 'POST', `/gateway-devices/${UNKNOWN}/wake`);
  // The failure paths: a gateway without power, a lock's battery and range, a phone
  // without network.
  await control(client, 200, 'POST', `/gateway-devices/${gw.id}/power-off`);
  await control(client, 409, 'POST', `/gateway-devices/${gw.id}/wake`);
  await control(client, 404, 'POST', `/gateway-devices/${UNKNOWN}/power-off`);
  await control(client, 200, 'POST', `/gateway-devices/${gw.id}/power-on`);
  const lockState = `/locking-devices/${lock.id}/state`;
  await control(client, 200, 'POST', lockState, { battery: 'LOW', inGatewayRange: false });
  await control(client, 400, 'POST', lockState, {});
  await control(client, 404, 'POST', `/locking-devices/${UNKNOWN}/state`, { battery: 'OK' });
  await control(client, 409, 'POST', `/locking-devices/${spare.id}/state`, { battery: 'OK' });
  await control(client, 200, 'GET', `/hardware/locking-devices/${hw.serialNumber}`);
  await control(client, 200, 'POST', lockState, { battery: 'OK', inGatewayRange: true });
  const network = `/operating-devices/${pid}/network`;
  await control(client, 200, 'POST', network, { online: false });
  await control(client, 409, 'POST', `/operating-devices/${pid}/sync`);
  await control(client, 200, 'POST', `/operating-devices/${pid}/visit`,
    { lockingDeviceId: lock.id, operation: 'unlock', online: true });
  await control(client, 400, 'POST', network, { online: 'no' });
  await control(client, 404, 'POST', `/operating-devices/${UNKNOWN}/network`, { online: true });
  await control(client, 200, 'POST', network, { online: true });
  await a.call(200, 'GET', `/remote-command/${cmd.id}`);
  await a.call(404, 'GET', `/remote-command/${UNKNOWN}`);
  await a.call(200, 'GET', '/remote-command');
  await a.call(200, 'GET', `/remote-command?gateway-device-id=${gw.id}&limit=1`);
  await a.call(400, 'GET', '/remote-command?gateway-device-id=nope');
  await a.call(404, 'GET', `/remote-command?gateway-device-id=${UNKNOWN}`);
  await a.call(200, 'GET', `/gateway-device-system-log?gateway-device-id=${gw.id}`);
  await a.call(200, 'GET', `/gateway-device-system-log?gateway-device-id=${gw.id}` +
    '&sort-direction=DESC&sequence-number-greater-than=0&limit=1');
  await a.call(400, 'GET', '/gateway-device-system-log');
  await a.call(404, 'GET', `/gateway-device-system-log?gateway-device-id=${UNKNOWN}`);
  await a.call(200, 'GET', `/gateway-device-audit-log?gateway-device-id=${gw.id}`);
  await a.call(400, 'GET', `/gateway-device-audit-log?gateway-device-id=${gw.id}&limit=101`);
  await a.call(404, 'GET', `/gateway-device-audit-log?gateway-device-id=${UNKNOWN}`);
  // Six associations per gateway; the seventh is refused.
  for (let i = 0; i < 5; i++) {
    const extra = (await a.call(201, 'POST', '/locking-device', { name: `Extra ${i}` })).json;
    await a.call(201, 'POST', '/gateway-device-association',
      { gatewayDeviceId: gw.id, lockingDeviceId: extra.id });
  }
  await a.call(409, 'POST', '/gateway-device-association',
    { gatewayDeviceId: gw.id, lockingDeviceId: spare.id });
  await a.call(204, 'DELETE', `/gateway-device/${gw2.id}`);
  await a.call(404, 'DELETE', `/gateway-device/${gw2.id}`);
  const doomed = (await a.call(201, 'POST', '/locking-device', { name: 'Doomed' })).json;
  await a.call(204, 'DELETE', `/locking-device/${doomed.id}`);
  await a.call(404, 'DELETE', `/locking-device/${doomed.id}`);

  await adminGenericErrors(client, a, userToken, await limitedKey(client));
  return { sys, a };
}

async function limitedKey(client) {
  const k = (await control(client, 201, 'POST', '/api-keys',
    { name: 'limited', requestsPerSecond: 1, burst: 1 })).json;
  return k.key;
}

// ---- the control API ---------------------------------------------------------------------

async function controlScenario(client, sys, hooks) {
  const s = `/systems/${sys.id}`;
  await control(client, 200, 'GET', '/health');
  await control(client, 200, 'GET', '/jwks.json');
  await control(client, 200, 'GET', '/metrics');
  await control(client, 200, 'GET', '/parity');

  // Systems and clocks
  const plain = (await control(client, 201, 'POST', '/systems')).json;
  const other = (await control(client, 201, 'POST', '/systems', { name: 'Other',
    clock: { mode: 'real', time: '2031-06-01T00:00:00Z' } })).json;
  await control(client, 400, 'POST', '/systems', { name: '', clock: { mode: 'sideways' } });
  const systems = (await control(client, 200, 'GET', '/systems?limit=1')).json;
  await control(client, 200, 'GET', '/systems?next-page-token=' +
    encodeURIComponent(systems.nextPageToken));
  await control(client, 200, 'GET', `/systems/${other.id}`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}`);
  await control(client, 200, 'GET', `/systems/${other.id}/clock`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/clock`);
  await control(client, 200, 'POST', `/systems/${other.id}/clock/freeze`);
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/clock/freeze`);
  await control(client, 200, 'POST', `/systems/${other.id}/clock/advance`, { by: 'PT1H' });
  await control(client, 200, 'POST', `/systems/${other.id}/clock/advance`,
    { to: '2031-07-01T00:00:00Z', maxJobs: 10 });
  await control(client, 200, 'POST', `/systems/${other.id}/clock/advance`, { toNextJob: true });
  await control(client, 400, 'POST', `/systems/${other.id}/clock/advance`, { by: 'PT1H', to: NOW });
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/clock/advance`, { by: 'PT1H' });
  await control(client, 200, 'POST', `/systems/${other.id}/clock/resume`);
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/clock/resume`);
  await control(client, 200, 'POST', `/systems/${plain.id}/autopilot`,
    { enabled: true, opensPerUserPerDay: 2, batteryEventsPerMonth: 0.5 });
  await control(client, 200, 'POST', `/systems/${plain.id}/autopilot`, { enabled: false });
  await control(client, 400, 'POST', `/systems/${plain.id}/autopilot`, { opensPerUserPerDay: 500 });
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/autopilot`, { enabled: false });
  await control(client, 204, 'DELETE', `/systems/${plain.id}`);
  await control(client, 404, 'DELETE', `/systems/${plain.id}`);

  // Credentials and what happens next
  await control(client, 204, 'POST', '/control-session', { token: 'no token is set' });
  await control(client, 400, 'POST', '/control-session', {});
  await control(client, 204, 'DELETE', '/control-session');
  await control(client, 200, 'GET', `${s}/phones?limit=2`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/phones`);
  await control(client, 200, 'GET', `${s}/autopilot`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/autopilot`);
  await control(client, 200, 'POST', `${s}/admin-token`);
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/admin-token`);
  await control(client, 200, 'GET', `${s}/jobs?limit=5`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/jobs`);
  const orphan = (await control(client, 201, 'POST', '/systems')).json;
  const orphanToken = (await control(client, 200, 'POST', `/systems/${orphan.id}/admin-token`)).json;
  await new Admin(client, orphanToken.apiKey, orphanToken.token)
    .call(204, 'DELETE', `/user/${orphan.admin.userId}`);
  await control(client, 409, 'POST', `/systems/${orphan.id}/admin-token`);

  // The live stream: it ends (and so answers whole) when its system is deleted.
  const streamed = control(client, 200, 'GET', `/systems/${orphan.id}/events/stream?tail=5`);
  await sleep(200);
  await control(client, 204, 'DELETE', `/systems/${orphan.id}`);
  const stream = await streamed;
  expectThat('stream ends with system-deleted',
    stream.text.includes('event: end\ndata: {"reason":"system-deleted"}'), stream.text.slice(-300));
  await control(client, 400, 'GET', `${s}/events/stream?after=${UNKNOWN}`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/events/stream`);

  // Triggers: every vendor event, on the system whose events are checked against the
  // document's webhooks at the end.
  for (const eventType of Object.keys(docs.docs[ADMIN].doc.webhooks)) {
    const told = (await control(client, 200, 'POST', `${s}/trigger`, { eventType })).json;
    expectThat(`trigger ${eventType}`, told.emitted.some((e) => e.eventType === eventType),
      JSON.stringify(told.emitted));
  }
  await control(client, 400, 'POST', `${s}/trigger`, { eventType: 'DoorOpened' });
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/trigger`, { eventType: 'UserCreated' });

  // Events, messages, webhooks
  const events = (await control(client, 200, 'GET', `${s}/events?limit=2`)).json;
  await control(client, 200, 'GET', `${s}/events?type=UserCreated&after=${events.items[0].eventId}&wait=0`);
  await control(client, 400, 'GET', `${s}/events?wait=31`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/events`);
  await control(client, 200, 'GET', `${s}/outbox-messages`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/outbox-messages`);
  const sub = (await control(client, 201, 'POST', `${s}/webhook-subscriptions`,
    { url: hooks.url, eventTypes: ['UserCreated'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).json;
  await control(client, 400, 'POST', `${s}/webhook-subscriptions`,
    { url: 'ftp://example.com', eventTypes: ['NoSuchEvent'] });
  await control(client, 400, 'POST', `${s}/webhook-subscriptions`,
    { url: hooks.url, secret: 'plain-secret' });
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/webhook-subscriptions`, { url: hooks.url });
  await control(client, 200, 'GET', `${s}/webhook-subscriptions`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/webhook-subscriptions`);
  await control(client, 200, 'POST', `${s}/webhooks/flush`);
  await control(client, 404, 'POST', `/systems/${UNKNOWN}/webhooks/flush`);
  const deliveries = (await control(client, 200, 'GET',
    `${s}/webhook-deliveries?status=delivered&limit=1`)).json;
  await control(client, 200, 'GET', `${s}/webhook-deliveries?subscription-id=${sub.id}` +
    `&event-id=${events.items[0].eventId}`);
  await control(client, 400, 'GET', `${s}/webhook-deliveries?status=lost`);
  await control(client, 404, 'GET', `/systems/${UNKNOWN}/webhook-deliveries`);
  await control(client, 202, 'POST', `${s}/webhook-deliveries/${deliveries.items[0].id}/redeliver`);
  await control(client, 404, 'POST', `${s}/webhook-deliveries/${UNKNOWN}/redeliver`);
  await control(client, 200, 'POST', `${s}/webhooks/flush`);
  await control(client, 204, 'DELETE', `${s}/webhook-subscriptions/${sub.id}`);
  await control(client, 404, 'DELETE', `${s}/webhook-subscriptions/${sub.id}`);

  // API keys
  const key = (await control(client, 201, 'POST', '/api-keys', { name: 'contract' })).json;
  await control(client, 400, 'POST', '/api-keys', { name: 'x', burst: 0 });
  const keys = (await control(client, 200, 'GET', '/api-keys?limit=1')).json;
  await control(client, 200, 'GET', '/api-keys?next-page-token=' +
    encodeURIComponent(keys.nextPageToken));
  await control(client, 204, 'DELETE', `/api-keys/${encodeURIComponent(key.key)}`);
  await control(client, 404, 'DELETE', `/api-keys/${encodeURIComponent(key.key)}`);

  // Faults: one that fires once on a path nothing else uses, then the limit of 64 rules.
  const fault = (await control(client, 201, 'POST', '/faults', { method: 'GET',
    path: '/administration/offline-key', status: 503, probability: 1, count: 1 })).json;
  await control(client, 400, 'POST', '/faults', { path: '/_emulator/v1/health', probability: 2 });
  await control(client, 200, 'GET', '/faults');
  const rules = [];
  for (let i = 0; i < 63; i++) {
    const r = await request('POST', client.base + '/_emulator/v1/faults',
      { body: { path: '/administration/user', latencyMs: 1, probability: 0 } });
    if (r.status === 201) rules.push(JSON.parse(r.text).id);
  }
  await control(client, 409, 'POST', '/faults', { latencyMs: 1, probability: 0 });
  for (const id of [fault.id, ...rules]) await control(client, 204, 'DELETE', `/faults/${id}`);
  await control(client, 404, 'DELETE', `/faults/${fault.id}`);

  // State: snapshot, restore, fixtures.
  await control(client, 201, 'POST', '/snapshots', { name: 'contract-1' });
  await control(client, 409, 'POST', '/snapshots', { name: 'contract-1' });
  await control(client, 400, 'POST', '/snapshots', { name: 'no spaces allowed' });
  await control(client, 200, 'GET', '/snapshots');
  await control(client, 200, 'POST', '/snapshots/contract-1/restore');
  await control(client, 404, 'POST', '/snapshots/no-such-snapshot/restore');
  const fixture = { systems: [{ id: '5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10', name: 'Fixture',
    apiKey: 'fixture-api-key-0123456789',
    admin: { userId: '0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20',
      accessKey: 'Zml4dHVyZS1hZG1pbi1hY2Nlc3Mta2V5LTA=' },
    clock: { mode: 'frozen', time: NOW },
    users: [{ id: '1b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c21', role: 'USER',
      accessKey: 'Zml4dHVyZS11c2VyLWFjY2Vzcy1rZXktMDA=' }],
    lockingDevices: [{ id: '02828588-2c7f-4847-b011-e489eb01f872', name: 'Front Gate' }] }] };
  await control(client, 201, 'POST', '/fixtures', fixture);
  await control(client, 201, 'POST', '/fixtures', fixture);
  await control(client, 400, 'POST', '/fixtures', { systems: [{ id: 'x' }] });
}

// The injected fault is answered as a problem document too.
async function injectedFault(client, a) {
  const fault = (await control(client, 201, 'POST', '/faults',
    { path: '/administration/offline-key', status: 503, probability: 1, count: 1 })).json;
  const res = await request('GET', client.base + '/administration/offline-key',
    { headers: a.headers() });
  expectThat('injected fault', res.status === 503 &&
    res.headers['content-type'] === 'application/problem+json', `${res.status} ${res.text}`);
  docs.check('injected fault', ADMIN, ['components', 'schemas', 'Problem'], JSON.parse(res.text));
  await control(client, 204, 'DELETE', `/faults/${fault.id}`);
}

// Every event of the system, and every webhook delivered, against the document's webhooks.
async function checkEvents(client, sys, hooks) {
  const seen = new Set();
  const ids = [];
  let token = null;
  do {
    const q = token ? `&next-page-token=${encodeURIComponent(token)}` : '';
    const page = (await control(client, 200, 'GET', `/systems/${sys.id}/events?limit=100${q}`)).json;
    for (const e of page.items) {
      const { occurredDatetime, ...body } = e;
      void occurredDatetime;
      seen.add(e.eventType);
      ids.push(e.eventId);
      checkWebhookBody(`event ${e.eventType}`, body);
    }
    token = page.nextPageToken;
  } while (token);
  const all = Object.keys(docs.docs[ADMIN].doc.webhooks);
  expectThat('event types emitted', all.every((t) => seen.has(t)),
    `never emitted: ${all.filter((t) => !seen.has(t)).join(', ')}`);
  await control(client, 200, 'POST', `/systems/${sys.id}/webhooks/flush`);
  const delivered = new Set();
  for (const d of hooks.received) {
    const body = JSON.parse(d.text);
    delivered.add(body.eventId);
    expectThat('webhook headers', d.headers['content-type'] === 'application/json' &&
      d.headers['webhook-id'] === body.eventId && /^v1,/.test(d.headers['webhook-signature']) &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(d.headers['x-emulator-event-time']),
    JSON.stringify(d.headers));
    checkWebhookBody(`webhook ${body.eventType}`, body);
  }
  // The subscription was made right after the system, whose first event (its administrator's
  // UserCreated) came before it.
  const missing = ids.slice(1).filter((id) => !delivered.has(id));
  expectThat('webhooks delivered', missing.length === 0,
    `${missing.length} of ${ids.length - 1} events never delivered`);
  return ids.length;
}

function checkWebhookBody(what, body) {
  const hook = docs.docs[ADMIN].doc.webhooks[body.eventType];
  if (!expectThat(what, hook, `event type ${body.eventType} is not in the document`)) return;
  docs.check(what, ADMIN, ['webhooks', body.eventType, 'post', 'requestBody', 'content',
    'application/json', 'schema'], body);
}

// ---- with --control-token and --production --------------------------------------------------

async function guardedScenario() {
  const emu = await start(BIN, ['--seed', '11', '--control-token', CONTROL_TOKEN, '--production']);
  try {
    const client = new Client(emu.base);
    const auth = { Authorization: `Bearer ${CONTROL_TOKEN}` };
    for (const o of operations(CONTROL)) {
      const open = Array.isArray(o.op.security) && o.op.security.length === 0;
      if (!open) await client.call(401, o.method, '/_emulator/v1' + o.path);
    }
    // The dashboard's way in: the token for a cookie, which then stands for the token.
    await control(client, 401, 'POST', '/control-session', { token: 'wrong' });
    const session = await control(client, 204, 'POST', '/control-session', { token: CONTROL_TOKEN });
    const cookie = String(session.headers['set-cookie'] || '').split(';')[0];
    expectThat('control-session cookie', /HttpOnly/.test(session.headers['set-cookie']) &&
      /SameSite=Strict/.test(session.headers['set-cookie']), String(session.headers['set-cookie']));
    await control(client, 200, 'GET', '/systems', undefined, { Cookie: cookie });
    const health = (await control(client, 200, 'GET', '/health')).json;
    expectThat('--production in health', health.production === true, JSON.stringify(health));
    const sys = (await control(client, 201, 'POST', '/systems', {}, auth)).json;
    const token = (await client.call(200, 'POST', '/administration/login', {
      headers: { 'X-Api-Key': sys.apiKey, Accept: VND }, body: sys.admin })).json.token;
    const a = new Admin(client, sys.apiKey, token);
    const lock = (await a.call(201, 'POST', '/locking-device', { name: 'Production' })).json;
    const res = await a.call(403, 'POST', `/testing/locking-device/${lock.id}/re-key`);
    expectThat('production re-key', res.json &&
      res.json.detail === 'This action is not available in this environment.', res.text);
    // Re-keying without the testing endpoint: the trigger's story does not need it.
    await control(client, 200, 'POST', `/systems/${sys.id}/trigger`,
      { eventType: 'LockingDeviceCertificateReKeyingCompleted' }, auth);
  } finally {
    const exit = await stop(emu);
    expectThat('guarded emulator stops cleanly', exit.code === 0, JSON.stringify(exit));
    if (exit.code !== 0) process.stderr.write(fs.readFileSync(emu.log, 'utf8').slice(-4000));
    cleanup(emu);
  }
}

// ---- main ------------------------------------------------------------------------------------

// The documents as the emulator serves them, which must be the files in schema/openapi/.
async function loadDocuments(client) {
  for (const [name, prefix] of [[ADMIN, '/administration'], [CONTROL, '/_emulator/v1']]) {
    const res = await request('GET', `${client.base}/_emulator/v1/openapi/${name}`);
    const file = fs.readFileSync(path.join(SRC, 'schema', 'openapi', name), 'utf8');
    expectThat(`served ${name}`, res.status === 200 && res.text === file,
      `${res.status}: the served document differs from schema/openapi/${name}`);
    docs.add(name, JSON.parse(file), prefix);
  }
  // Now that the documents are known, their own operations are checked like any other.
  await control(client, 200, 'GET', `/openapi/${ADMIN}`);
  await control(client, 200, 'GET', `/openapi/${CONTROL}`);
}

async function main() {
  if (!BIN) throw new Error('KEYLESS_EMULATOR_BIN is not set');
  const hooks = await receiver();
  const emu = await start(BIN, ['--seed', '7']);
  const client = new Client(emu.base);
  let events = 0;
  try {
    // The documents come from the emulator itself; the first two calls are checked once the
    // documents are known.
    await loadDocuments(client);
    sameSet('administration routes', routesOf('src/admin/routes.c'), documentedRoutes(ADMIN));
    sameSet('control routes', routesOf('src/control/routes.c'), documentedRoutes(CONTROL));
    const parity = (await control(client, 200, 'GET', '/parity')).json;
    sameSet('parity', parity.operations.map((o) => `${o.method} ${o.path.replace(/^\/administration/, '')}`),
      documentedRoutes(ADMIN));
    const { sys, a } = await adminScenario(client, hooks);
    await injectedFault(client, a);
    await notRouted(client);
    await controlGenericErrors(client, sys.id);
    await controlScenario(client, sys, hooks);
    events = await checkEvents(client, sys, hooks);
    await control(client, 200, 'POST', '/reset');
    await control(client, 200, 'GET', '/systems');
  } catch (e) {
    docs.fail('scenario', e.stack);
  } finally {
    const exit = await stop(emu);
    expectThat('emulator stops cleanly', exit.code === 0, JSON.stringify(exit));
    if (docs.failures.length > 0) {
      process.stderr.write(fs.readFileSync(emu.log, 'utf8').slice(-4000));
    }
    cleanup(emu);
  }
  try {
    await guardedScenario();
  } catch (e) {
    docs.fail('guarded scenario', e.stack);
  }
  await hooks.close();
  const report = docs.coverage(EXEMPT);
  for (const line of report) console.log(line);
  for (const [k, why] of Object.entries(EXEMPT)) console.log(`exempt: ${k}: ${why}`);
  console.log(`events and webhooks checked: ${events} events, ${hooks.received.length} deliveries`);
  for (const f of docs.failures) console.log(`FAIL ${f}`);
  console.log(`contract: ${passed + docs.checks} passed, ${docs.failures.length} failed`);
  process.exit(docs.failures.length > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
