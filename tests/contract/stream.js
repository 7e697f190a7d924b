'use strict';
// The event stream as a stock client sees it: the `eventsource` package (a WHATWG
// EventSource for Node) against the real emulator. It proves what the framing promises:
// an event arrives within a second of its commit with the body GET /events shows; a client
// whose connection keeps breaking resumes by itself (Last-Event-ID) with nothing lost or
// repeated across 1,000 events; tail and type filters; and the end of a stream after a
// reset, a restore or the deletion of its system, after which the stale id is refused.
//
// Environment: KEYLESS_EMULATOR_BIN (the binary).
const assert = require('assert');
const net = require('net');
const { EventSource } = require('eventsource');
const { start, stop, cleanup, request, sleep } = require('./emulator');

const BIN = process.env.KEYLESS_EMULATOR_BIN;
const VND = 'application/vnd.assaabloy.keyless.administration-2+json';
const RESUMED_EVENTS = 1000;

let base;

async function call(expect, method, path, body, headers = {}) {
  const res = await request(method, base + path, { headers, body });
  assert.strictEqual(res.status, expect, `${method} ${path}: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : undefined;
}

const control = (expect, method, path, body) => call(expect, method, '/_emulator/v1' + path, body);

// A system with its admin's credentials, for making events through the Administration API.
async function newSystem() {
  const sys = await control(201, 'POST', '/systems', { name: 'Stream' });
  const creds = await control(200, 'POST', `/systems/${sys.id}/admin-token`);
  const addUser = () => call(201, 'POST', '/administration/user', { role: 'USER' },
    { 'X-Api-Key': creds.apiKey, Authorization: `Bearer ${creds.token}`, Accept: VND });
  return { id: sys.id, addUser };
}

async function allEvents(systemId) {
  const items = [];
  for (let token = null; ;) {
    const q = token ? `&next-page-token=${encodeURIComponent(token)}` : '';
    const page = await control(200, 'GET', `/systems/${systemId}/events?limit=100${q}`);
    items.push(...page.items);
    if (!page.nextPageToken) return items;
    token = page.nextPageToken;
  }
}

// Collects the events of one EventSource; `waitFor` resolves once a predicate holds.
function listen(url, types) {
  const es = new EventSource(url);
  const got = { es, events: [], ends: [], errors: 0, opened: 0 };
  const waiters = [];
  const settle = () => waiters.splice(0).forEach((w) => (w.ok(got) ? w.resolve() : waiters.push(w)));
  for (const type of types) {
    es.addEventListener(type, (e) => {
      got.events.push({ id: e.lastEventId, type: e.type, data: JSON.parse(e.data), at: Date.now() });
      settle();
    });
  }
  es.addEventListener('end', (e) => { got.ends.push(JSON.parse(e.data).reason); settle(); });
  es.addEventListener('open', () => { got.opened++; settle(); });
  es.addEventListener('error', () => { got.errors++; settle(); });
  got.waitFor = (ok, ms, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    waiters.push({ ok, resolve: () => { clearTimeout(timer); resolve(); } });
    settle();
  });
  return got;
}

// A loopback proxy that cuts every client connection after `cut` bytes of the answer, as a
// flaky network would, and shortens the stream's retry hint so reconnects are quick.
function flakyProxy(target, cut) {
  const { port } = new URL(target);
  let cuts = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), '127.0.0.1');
    let passed = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      const text = chunk.toString('latin1').replace('retry: 3000', 'retry: 0050');
      const room = cut - passed;
      passed += chunk.length;
      if (passed <= cut) return client.write(Buffer.from(text, 'latin1'));
      client.end(Buffer.from(text, 'latin1').subarray(0, Math.max(room, 0)));
      cuts++;
      upstream.destroy();
      client.destroy();
    });
    const drop = () => { upstream.destroy(); client.destroy(); };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, cuts: () => cuts,
    close: () => new Promise((r) => server.close(r)),
  })));
}

async function deliversWithinASecond() {
  const sys = await newSystem();
  const got = listen(`${base}/_emulator/v1/systems/${sys.id}/events/stream`, ['UserCreated']);
  await got.waitFor((g) => g.opened > 0, 5000, 'stream open');
  const committed = Date.now();
  const user = await sys.addUser();
  await got.waitFor((g) => g.events.length > 0, 1000, 'the event of a commit');
  const event = got.events[0];
  const logged = (await allEvents(sys.id)).find((e) => e.eventId === event.id);
  assert.deepStrictEqual(event.data, logged, 'the stream carries the item GET /events shows');
  assert.strictEqual(event.data.userId, user.id);
  got.es.close();
  return Date.now() - committed;
}

async function resumesAcrossBrokenConnections() {
  const sys = await newSystem();
  const proxy = await flakyProxy(base, 16 * 1024);
  const got = listen(`${proxy.url}/_emulator/v1/systems/${sys.id}/events/stream`, ['UserCreated']);
  await got.waitFor((g) => g.opened > 0, 5000, 'stream open');
  for (let i = 0; i < RESUMED_EVENTS; i += 50) {
    await Promise.all(Array.from({ length: 50 }, () => sys.addUser()));
  }
  await got.waitFor((g) => g.events.length >= RESUMED_EVENTS, 60000, `${RESUMED_EVENTS} events`);
  await sleep(300); // anything doubled would arrive now
  got.es.close();
  await proxy.close();
  const logged = (await allEvents(sys.id)).filter((e) => e.eventType === 'UserCreated')
    .slice(-RESUMED_EVENTS).map((e) => e.eventId);
  const received = got.events.map((e) => e.id);
  assert.strictEqual(new Set(received).size, received.length, 'no event twice');
  assert.deepStrictEqual(received, logged, 'every event, in order');
  assert.ok(proxy.cuts() >= 10 && got.opened > proxy.cuts() / 2,
    `the connection broke ${proxy.cuts()} times and the client reopened it ${got.opened} times`);
  return { cuts: proxy.cuts(), reopened: got.opened };
}

async function tailAndTypes() {
  const sys = await newSystem();
  const users = [];
  for (let i = 0; i < 5; i++) users.push(await sys.addUser());
  const got = listen(`${base}/_emulator/v1/systems/${sys.id}/events/stream?tail=3&type=UserCreated,UserDeleted`,
    ['UserCreated', 'UserDeleted']);
  await got.waitFor((g) => g.events.length >= 3, 5000, 'the tail');
  assert.deepStrictEqual(got.events.map((e) => e.data.userId), users.slice(2).map((u) => u.id));
  got.es.close();
}

// Each way a history can vanish ends the stream with its reason; a reconnect with the id of
// an event that is gone is refused, so the client stops instead of reading another history.
async function endsWhenTheHistoryGoes() {
  const cases = [
    ['reset', async () => control(200, 'POST', '/reset')],
    ['restore', async () => control(200, 'POST', '/snapshots/stream-before/restore')],
    ['system-deleted', async (sys) => control(204, 'DELETE', `/systems/${sys.id}`)],
  ];
  await control(201, 'POST', '/snapshots', { name: 'stream-before' });
  for (const [reason, act] of cases) {
    const sys = await newSystem();
    const got = listen(`${base}/_emulator/v1/systems/${sys.id}/events/stream`, ['UserCreated']);
    await got.waitFor((g) => g.opened > 0, 5000, 'stream open');
    await sys.addUser();
    await got.waitFor((g) => g.events.length > 0, 2000, 'an event before the end');
    await act(sys);
    await got.waitFor((g) => g.ends.length > 0, 2000, `the end after ${reason}`);
    assert.deepStrictEqual(got.ends, [reason]);
    await got.waitFor((g) => g.es.readyState === EventSource.CLOSED, 10000,
      `the client giving up after ${reason}`);
  }
  const sys = await newSystem();
  const res = await request('GET', `${base}/_emulator/v1/systems/${sys.id}/events/stream`,
    { headers: { 'Last-Event-ID': '00000000-0000-4000-8000-000000000000' } });
  assert.strictEqual(res.status, 400);
  assert.strictEqual(JSON.parse(res.text).invalidParams[0].name, 'Last-Event-ID');
}

async function main() {
  if (!BIN) throw new Error('KEYLESS_EMULATOR_BIN is not set');
  const emu = await start(BIN, ['--threads', '2']);
  base = emu.base;
  let failed = false;
  try {
    const latency = await deliversWithinASecond();
    console.log(`ok: an event reached the client ${latency} ms after its commit was answered`);
    const resumed = await resumesAcrossBrokenConnections();
    console.log(`ok: ${RESUMED_EVENTS} events through ${resumed.cuts} broken connections ` +
      `(${resumed.reopened} opens), none lost or doubled`);
    await tailAndTypes();
    console.log('ok: tail and type filters');
    await endsWhenTheHistoryGoes();
    console.log('ok: reset, restore and deletion end the stream; a gone id is refused');
  } catch (e) {
    failed = true;
    console.error(`FAIL ${e.stack}`);
  } finally {
    const exit = await stop(emu);
    if (exit.code !== 0) failed = true;
    cleanup(emu);
  }
  process.exit(failed ? 1 : 0);
}

main();
