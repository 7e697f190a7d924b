'use strict';
// The dashboard in a real headless browser: Debian's chromium driven by playwright-core,
// against the real binary with the demo fixtures. Each check clicks what a person giving a
// demo would click and waits for what they would see; the page must log no console error and
// no failed request on the way. Screenshots go to WEB_ARTIFACTS_DIR.
const assert = require('assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const emulator = require('../contract/emulator.js');

const BIN = process.env.KEYLESS_EMULATOR_BIN;
const SOURCE = process.env.KEYLESS_EMULATOR_SOURCE_ROOT || path.join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.WEB_ARTIFACTS_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'ke-web-'));
fs.mkdirSync(ARTIFACTS, { recursive: true });
const VENDOR = 'application/vnd.assaabloy.keyless.administration-2+json';
const WAIT = { timeout: 15000 };

const results = [];
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack}`);
  }
}

// Every console error, uncaught exception, failed load and 4xx/5xx answer the page sees;
// `allow` names answers a check provokes on purpose.
function watch(page, allow = () => false) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && !allow(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A stream the page closes itself (system switch, navigation) is aborted, not failed.
    if (!(r.url().includes('/events/stream') && r.failure()?.errorText === 'net::ERR_ABORTED'))
      problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allow(`${r.status()} ${r.url()}`)) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return problems;
}

async function open(browser, base, hash = '') {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems = watch(page);
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready=true]', WAIT);
  return { page, problems };
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function clockNow(page) {
  return Date.parse(await page.locator('#clock .now time').getAttribute('datetime'));
}

async function receivedCount(page) {
  return Number((await page.locator('#event-count').textContent()).split(' ')[0]);
}

// Submits the open dialog's form and waits for the answer it shows (or the dialog to close).
async function submitDialog(page) {
  await page.locator('#dialog button[type=submit]').click();
  await page.waitForFunction(() => !document.querySelector('#dialog button[type=submit]'), null, WAIT);
}

async function closeDialog(page) {
  await page.locator('#dialog button.primary', { hasText: 'Close' }).click();
  await page.waitForFunction(() => !document.getElementById('dialog').open, null, WAIT);
}

async function adminCall(base, systemId, method, apiPath, body) {
  const t = JSON.parse((await emulator.request('POST', `${base}/_emulator/v1/systems/${systemId}/admin-token`)).text);
  const res = await emulator.request(method, `${base}/administration${apiPath}`, {
    headers: { Accept: VENDOR, Authorization: `Bearer ${t.token}`, 'X-Api-Key': t.apiKey }, body });
  assert.ok(res.status < 300, `${method} ${apiPath}: ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}

// Tabs through the whole page and answers the set of controls that got the focus.
async function tabThrough(page, presses) {
  const reached = new Set();
  await page.locator('body').focus();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => {
      const el = document.activeElement;
      return el.id || el.dataset.key || el.dataset.advance || el.textContent.trim();
    }));
  }
  return reached;
}

async function demoChecks(browser, base, receiver) {
  const { page, problems } = await open(browser, base);
  const systemId = await page.locator('#system-select').inputValue();

  await check("the site lists the demo's six locks and five users", async () => {
    assert.equal(await page.locator('tr[data-lock]').count(), 6);
    assert.equal(await page.locator('tr[data-user]').count(), 5);
    assert.equal(await page.locator('tr[data-gateway]').count(), 1);
    await shot(page, 'site');
  });

  await check('keyboard navigation reaches every action', async () => {
    const actions = await page.evaluate(() => [...document.querySelectorAll('button, select, input')]
      .filter((el) => !el.closest('dialog') && el.offsetParent !== null)
      .map((el) => el.id || el.dataset.key || el.dataset.advance || el.textContent.trim()));
    // A date-time input takes one stop per part (day, month, year, hour, ...).
    const reached = await tabThrough(page, actions.length + 20);
    const missed = actions.filter((a) => !reached.has(a));
    assert.deepEqual(missed, [], `not reachable with Tab: ${missed.join(', ')}`);
    await page.keyboard.press('Shift+Tab'); // and the focus ring shows where it is
  });

  await check('advance 1 day moves the clock and new events appear live', async () => {
    const before = await clockNow(page);
    const count = await receivedCount(page);
    await page.locator('button[data-advance=P1D]').click();
    await page.waitForFunction((t) => Date.parse(document.querySelector('#clock .now time')
      .getAttribute('datetime')) >= t + 86400000, before, WAIT);
    await page.waitForFunction((n) => Number(document.getElementById('event-count').textContent.split(' ')[0]) > n, count, WAIT);
    assert.match(await page.locator('#advance-summary').textContent(), /\d+ jobs? run, \d+ events? emitted/);
    const newest = await page.locator('#event-list li time').first().getAttribute('datetime');
    assert.ok(Date.parse(newest) > before, `the newest event (${newest}) happened during the advance`);
    await shot(page, 'advanced');
  });

  await check('a phone visit from the page produces an audit entry that appears', async () => {
    const lock = page.locator('tr[data-lock]', { hasText: 'Front Gate' });
    await lock.locator('button', { hasText: 'Visit' }).click();
    await submitDialog(page);
    const answer = JSON.parse(await page.locator('#dialog pre.json').textContent());
    assert.equal(answer.granted, true, JSON.stringify(answer));
    await closeDialog(page);
    await lock.locator('button', { hasText: 'Details' }).click();
    const firstAudit = page.locator('#lock-detail table').first().locator('tbody tr').first();
    assert.equal(await firstAudit.locator('td').nth(1).textContent(), String(answer.auditLogEntry.sequenceNumber));
    await shot(page, 'lock-detail');
    await closeDialog(page);
    await page.waitForSelector('#event-list li[data-type=LockingDeviceAuditLogEntryReceivedV2]', WAIT);
  });

  await check('a flat battery set from the page refuses the next visit; a gateway powers off', async () => {
    const lock = page.locator('tr[data-lock]', { hasText: 'Office Door' });
    await lock.locator('button', { hasText: 'Condition…' }).click();
    await page.locator('#field-battery').selectOption('EMPTY');
    await submitDialog(page);
    await closeDialog(page);
    await lock.locator('.badge', { hasText: 'battery empty' }).waitFor(WAIT);
    await lock.locator('button', { hasText: 'Visit' }).click();
    await submitDialog(page);
    const answer = JSON.parse(await page.locator('#dialog pre.json').textContent());
    assert.equal(answer.sessionRefused, true, JSON.stringify(answer));
    assert.match(answer.reason, /battery/);
    await closeDialog(page);
    const gateway = page.locator('tr[data-gateway]').first();
    await gateway.locator('button', { hasText: 'Power off' }).click();
    await gateway.locator('.badge', { hasText: 'powered off' }).waitFor(WAIT);
    await gateway.locator('button', { hasText: 'Power on' }).click();
    await gateway.locator('button', { hasText: 'Power off' }).waitFor(WAIT);
  });

  await check('a trigger from the page produces its event', async () => {
    await page.locator('#trigger-open').click();
    await page.locator('#field-eventType').selectOption('RemoteCommandAcknowledged');
    await submitDialog(page);
    const answer = JSON.parse(await page.locator('#dialog pre.json').textContent());
    assert.ok(answer.emitted.some((e) => e.eventType === 'RemoteCommandAcknowledged'), JSON.stringify(answer));
    await closeDialog(page);
    await page.waitForSelector('#event-list li[data-type=RemoteCommandAcknowledged]', WAIT);
  });

  await check('the type filter shows only that type, and an event opens to its JSON', async () => {
    await page.locator('#event-filter').selectOption('RemoteCommandAcknowledged');
    const types = await page.locator('#event-list li').evaluateAll((lis) => lis.map((li) => li.dataset.type));
    assert.ok(types.length > 0 && types.every((t) => t === 'RemoteCommandAcknowledged'), types.join());
    await page.locator('#event-list summary').first().click();
    const body = JSON.parse(await page.locator('#event-list pre.json').first().textContent());
    assert.equal(body.eventType, 'RemoteCommandAcknowledged');
    assert.equal(body.eventSystemId, systemId);
    await page.locator('#event-filter').selectOption('');
  });

  await check('a failing receiver shows failed attempts and the next retry, and redeliver works', async () => {
    receiver.setStatus(500);
    await page.locator('#tab-webhooks').click();
    await page.locator('#subscribe').click();
    await page.locator('#field-url').fill(receiver.url);
    await page.locator('#field-eventType').selectOption('UserCreated');
    await submitDialog(page);
    await closeDialog(page);
    await adminCall(base, systemId, 'POST', '/user', { role: 'USER' });
    const failed = page.locator('tr[data-delivery][data-status=pending]', { hasText: 'HTTP 500' });
    await waitAfterRefresh(page, '#tab-webhooks', failed);
    assert.match(await failed.locator('td').nth(4).locator('time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
    await page.locator('#tab-next').click();
    await page.waitForSelector('text=Webhook deliveries due', WAIT);
    assert.ok(await page.locator('section', { hasText: 'Webhook deliveries due' }).locator('tbody tr').count() >= 1);
    await page.locator('#tab-webhooks').click();
    await failed.first().waitFor(WAIT);
    await shot(page, 'webhooks-failing');
    const deliveryId = await failed.first().getAttribute('data-delivery');
    receiver.setStatus(204);
    await page.locator(`[data-key="redeliver-${deliveryId}"]`).click();
    await waitAfterRefresh(page, '#tab-webhooks', page.locator(`tr[data-delivery="${deliveryId}"][data-status=delivered]`));
    assert.ok(receiver.received.length >= 2, 'the receiver saw the failed attempt and the redelivery');
  });

  await check('names are shown as text, never as markup', async () => {
    const name = '<img src=x onerror="window.__xss=1">';
    await adminCall(base, systemId, 'POST', '/locking-device', { name });
    await page.locator('#tab-site').click();
    const row = page.locator('tr[data-lock]', { hasText: name });
    await row.waitFor(WAIT);
    assert.equal(await row.locator('td .name').textContent(), name);
    assert.equal(await page.locator('#view img').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  });

  await check('a new system: created from the page, opened, and acted on', async () => {
    await page.locator('#tab-emulator').click();
    await page.locator('#create-system').click();
    await page.locator('#field-name').fill('Browser Site');
    await page.locator('#field-mode').selectOption('frozen');
    await page.locator('#field-time').fill('2031-05-01T08:00:00Z');
    await submitDialog(page);
    await closeDialog(page);
    await page.waitForSelector('#tab-site[aria-selected=true]', WAIT);
    assert.equal(await page.locator('#system-select option:checked').textContent(), 'Browser Site');
    assert.equal(await page.locator('#clock-mode').textContent(), 'frozen');
    assert.equal(await page.locator('#clock .now time').getAttribute('datetime'), '2031-05-01T08:00:00Z');
    await page.waitForSelector('tr[data-user]', WAIT); // its administrator
    await page.locator('tr[data-user] button', { hasText: 'Invite phone' }).first().click();
    await closeDialog(page);
    await page.locator('tr[data-user] button', { hasText: 'Accept invitation' }).first().click();
    await closeDialog(page);
    await page.waitForSelector('tr[data-user] .badge.ok', WAIT);
    await page.locator('#add-lock').click();
    await submitDialog(page);
    await closeDialog(page);
    await page.waitForSelector('tr[data-lock] .badge.ok', WAIT);
    await page.waitForSelector('#event-list li[data-type=LockingDeviceClaimed]', WAIT);
  });

  await check('the page logged no console error and no failed request', async () => {
    assert.deepEqual(problems, []);
  });
  await page.close();
}

// Re-opens a tab until `locator` shows: deliveries change without an event to refresh on.
async function waitAfterRefresh(page, tab, locator) {
  const deadline = Date.now() + WAIT.timeout;
  while (Date.now() < deadline) {
    await page.locator(tab).click();
    try {
      await locator.first().waitFor({ timeout: 500 });
      return;
    } catch { /* not yet */ }
  }
  throw new Error(`${locator} did not appear`);
}

async function controlTokenChecks(browser) {
  const emu = await emulator.start(BIN, ['--fixtures', path.join(SOURCE, 'fixtures/demo.json'),
    '--control-token', 'demo-control-secret']);
  try {
    await check('with --control-token the page asks once, then works on a cookie', async () => {
      const page = await browser.newPage();
      const problems = watch(page, (what) => /\b401\b/.test(what));
      await page.goto(`${emu.base}/`);
      await page.locator('#field-token').fill('demo-control-secret');
      await page.locator('#dialog button[type=submit]').click();
      await page.waitForSelector('body[data-ready=true]', WAIT);
      await page.waitForSelector('#stream-state.ok', WAIT);
      assert.equal(await page.locator('tr[data-lock]').count(), 6);
      const cookies = await page.context().cookies();
      assert.ok(cookies.some((c) => c.httpOnly && c.sameSite === 'Strict'), JSON.stringify(cookies));
      assert.ok(!page.url().includes('demo-control-secret'));
      await page.reload();
      await page.waitForSelector('body[data-ready=true]', WAIT);
      assert.equal(await page.locator('#dialog[open]').count(), 0, 'asked again after a reload');
      assert.deepEqual(problems, []);
      await page.close();
    });
  } finally {
    await emulator.stop(emu);
    emulator.cleanup(emu);
  }
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const receiver = await emulator.receiver();
  const emu = await emulator.start(BIN, ['--fixtures', path.join(SOURCE, 'fixtures/demo.json')]);
  try {
    await demoChecks(browser, emu.base, receiver);
    await controlTokenChecks(browser);
  } finally {
    await browser.close();
    await receiver.close();
    await emulator.stop(emu);
    emulator.cleanup(emu);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`dashboard: ${results.length - failed} passed, ${failed} failed; screenshots in ${ARTIFACTS}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
