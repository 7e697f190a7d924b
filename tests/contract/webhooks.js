'use strict';
// Webhooks as a stock receiver verifies them: the official `standardwebhooks` package, whose
// verify() refuses a webhook-timestamp more than 5 minutes from this machine's clock and has
// no option to turn that off. Systems on frozen clocks years in the past and in the future,
// with a whsec_ secret given and one generated, deliver through a receiver that fails each
// subscription's first attempt: every attempt, retries included, must verify, and
// X-Emulator-Event-Time must be the event's time on its system's clock.
//
// Environment: KEYLESS_EMULATOR_BIN (the binary).
const assert = require('assert');
const crypto = require('crypto');
const http = require('http');
const { Webhook } = require('standardwebhooks');
const { start, stop, cleanup, request } = require('./emulator');

const BIN = process.env.KEYLESS_EMULATOR_BIN;
const VND = 'application/vnd.assaabloy.keyless.administration-2+json';
const CLOCKS = { past: '2001-09-09T01:46:40Z', future: '2100-01-01T00:00:00Z' };
const USERS_PER_SYSTEM = 3;

let base;

async function call(expect, method, path, body, headers = {}) {
  const res = await request(method, base + path, { headers, body });
  assert.strictEqual(res.status, expect, `${method} ${path}: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : undefined;
}

const control = (expect, method, path, body) => call(expect, method, '/_emulator/v1' + path, body);

// Records every POST with its raw body; the first request to each path answers 500 (so that
// every subscription has a retry), every later one 204.
function failingOnceReceiver() {
  const received = [];
  const seen = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const first = !seen.has(req.url);
      seen.add(req.url);
      received.push({ path: req.url, headers: req.headers, text: Buffer.concat(chunks).toString('utf8'),
        status: first ? 500 : 204, at: Date.now() });
      res.writeHead(first ? 500 : 204);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: (path) => `http://127.0.0.1:${server.address().port}${path}`, received,
    close: () => new Promise((r) => server.close(r)),
  })));
}

// A system frozen at `time`, subscribed twice: with `secret`, and with one it generates.
async function newSystem(name, time, rx) {
  const sys = await control(201, 'POST', '/systems', { name, clock: { mode: 'frozen', time } });
  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64');
  const given = await control(201, 'POST', `/systems/${sys.id}/webhook-subscriptions`,
    { url: rx.url(`/${name}/given`), secret });
  assert.strictEqual(given.secret, secret);
  const made = await control(201, 'POST', `/systems/${sys.id}/webhook-subscriptions`,
    { url: rx.url(`/${name}/made`) });
  assert.match(made.secret, /^whsec_/);
  const creds = await control(200, 'POST', `/systems/${sys.id}/admin-token`);
  const addUser = () => call(201, 'POST', '/administration/user', { role: 'USER' },
    { 'X-Api-Key': creds.apiKey, Authorization: `Bearer ${creds.token}`, Accept: VND });
  return { id: sys.id, name, secrets: { [`/${name}/given`]: secret, [`/${name}/made`]: made.secret },
    addUser };
}

// Secrets stock libraries cannot use are refused, naming `secret`, and nothing is stored.
async function badSecretsRefused(systemId, rx) {
  for (const secret of ['plain-secret', 'whsec_!!!!', 'whsec_', 'whsec_' + 'A'.repeat(31) + '=']) {
    const res = await request('POST', `${base}/_emulator/v1/systems/${systemId}/webhook-subscriptions`,
      { body: { url: rx.url('/refused'), secret } });
    assert.strictEqual(res.status, 400, `${secret}: ${res.status} ${res.text}`);
    assert.strictEqual(res.headers['content-type'], 'application/problem+json');
    const names = JSON.parse(res.text).invalidParams.map((p) => p.name);
    assert.deepStrictEqual(names, ['secret'], `${secret}: ${res.text}`);
  }
  const subs = await control(200, 'GET', `/systems/${systemId}/webhook-subscriptions`);
  assert.strictEqual(subs.items.length, 2, 'a refused subscription was stored');
  console.log('ok: plain, malformed and short secrets are 400 naming secret, nothing stored');
}

// The event log's virtual time of every event of the system, by id.
async function eventTimes(systemId) {
  const times = new Map();
  for (let token = null; ;) {
    const q = token ? `&next-page-token=${encodeURIComponent(token)}` : '';
    const page = await control(200, 'GET', `/systems/${systemId}/events?limit=100${q}`);
    for (const e of page.items) times.set(e.eventId, e.occurredDatetime);
    if (!page.nextPageToken) return times;
    token = page.nextPageToken;
  }
}

// Events at the system's first instant, a failed first attempt, then (30 s later on its
// clock) the retry and everything behind it, and more events at the later instant.
async function makeDeliveries(sys) {
  for (let i = 0; i < USERS_PER_SYSTEM; i++) await sys.addUser();
  let counts = await control(200, 'POST', `/systems/${sys.id}/webhooks/flush`);
  assert.strictEqual(counts.pending, 2 * USERS_PER_SYSTEM, JSON.stringify(counts));
  await control(200, 'POST', `/systems/${sys.id}/clock/advance`, { by: 'PT30S' });
  await sys.addUser();
  counts = await control(200, 'POST', `/systems/${sys.id}/webhooks/flush`);
  assert.deepStrictEqual([counts.pending, counts.dead], [0, 0], JSON.stringify(counts));
  assert.strictEqual(counts.delivered, 2 * (USERS_PER_SYSTEM + 1), JSON.stringify(counts));
}

// Every attempt the receiver got, failed or not, verifies with the stock library.
function verifyAll(systems, rx, times) {
  const secrets = Object.assign({}, ...systems.map((s) => s.secrets));
  let retries = 0;
  for (const d of rx.received) {
    const secret = secrets[d.path];
    assert.ok(secret, `a delivery to ${d.path}`);
    const payload = new Webhook(secret).verify(d.text, d.headers); // throws when refused
    assert.strictEqual(payload.eventId, d.headers['webhook-id']);
    assert.strictEqual(d.headers['x-emulator-event-time'], times.get(payload.eventId),
      `${d.path} ${payload.eventType}: X-Emulator-Event-Time`);
    const wall = Number(d.headers['webhook-timestamp']);
    assert.ok(Math.abs(wall - d.at / 1000) < 60, `webhook-timestamp ${wall} is not the wall clock`);
    if (rx.received.some((o) => o !== d && o.path === d.path && o.at < d.at &&
        o.headers['webhook-id'] === d.headers['webhook-id'])) retries++;
  }
  return retries;
}

async function main() {
  if (!BIN) throw new Error('KEYLESS_EMULATOR_BIN is not set');
  const rx = await failingOnceReceiver();
  const emu = await start(BIN);
  let failed = false;
  base = emu.base;
  try {
    const systems = [];
    for (const [name, time] of Object.entries(CLOCKS)) systems.push(await newSystem(name, time, rx));
    await badSecretsRefused(systems[0].id, rx);
    for (const sys of systems) await makeDeliveries(sys);
    const times = new Map();
    for (const sys of systems) for (const [id, t] of await eventTimes(sys.id)) times.set(id, t);
    const retries = verifyAll(systems, rx, times);
    const subscriptions = 2 * systems.length;
    assert.strictEqual(rx.received.length, subscriptions * (USERS_PER_SYSTEM + 2),
      `${rx.received.length} attempts`);
    assert.strictEqual(retries, subscriptions, `${retries} retries`);
    const eventTimesSeen = new Set(rx.received.map((d) => d.headers['x-emulator-event-time']));
    assert.ok(eventTimesSeen.has(CLOCKS.past) && eventTimesSeen.has(CLOCKS.future) &&
      eventTimesSeen.has('2100-01-01T00:00:30Z'), [...eventTimesSeen].join(' '));
    console.log(`ok: ${rx.received.length} attempts (${retries} retries) on clocks in ` +
      `${Object.values(CLOCKS).join(' and ')} verify with standardwebhooks`);
  } catch (e) {
    failed = true;
    console.error(`FAIL ${e.stack}`);
  } finally {
    if ((await stop(emu)).code !== 0) failed = true;
    cleanup(emu);
    await rx.close();
  }
  process.exit(failed ? 1 : 0);
}

main();
