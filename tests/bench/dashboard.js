'use strict';
// make bench's figures for the dashboard, in Debian's chromium: how long the demo site takes
// from DOMContentLoaded to rendered (median of 11 loads), and whether the live list keeps up
// with an autopilot month advanced in one call — how long until the page has drawn every
// event, and its JS heap and DOM size after each of three months (flat: the list keeps 500).
const path = require('path');
const { chromium } = require('playwright-core');
const emulator = require('../contract/emulator.js');

const BIN = process.env.KEYLESS_EMULATOR_BIN;
const SOURCE = process.env.KEYLESS_EMULATOR_SOURCE_ROOT || path.join(__dirname, '..', '..');
const SYSTEM = '5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function pageReady(browser, base) {
  const times = [];
  for (let i = 0; i < 11; i++) {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready=true]');
    times.push(await page.evaluate(() => performance.getEntriesByName('first-render')[0].startTime
      - performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
    await page.close();
  }
  return times;
}

async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (n) => metrics.find((m) => m.name === n).value;
  return { heap: (get('JSHeapUsedSize') / 1048576).toFixed(1), nodes: get('Nodes') };
}

async function months(browser, base) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${base}/`);
  await page.waitForSelector('#stream-state.ok');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const rows = [`before: heap ${(await heapMb(cdp)).heap} MB`];
  for (let m = 1; m <= 3; m++) {
    const before = await page.evaluate(() => Number(document.getElementById('event-count').textContent.split(' ')[0]));
    const started = Date.now();
    const res = await emulator.request('POST', `${base}/_emulator/v1/systems/${SYSTEM}/clock/advance`, { body: { by: 'P30D' } });
    const answered = Date.now();
    const emitted = JSON.parse(res.text).eventsEmitted;
    await page.waitForFunction((n) => Number(document.getElementById('event-count').textContent.split(' ')[0]) >= n,
      before + emitted, { timeout: 120000, polling: 50 });
    const drawn = Date.now();
    const { heap, nodes } = await heapMb(cdp);
    rows.push(`month ${m}: ${emitted} events; advance ${answered - started} ms, all drawn ${drawn - answered} ms after; heap ${heap} MB, ${nodes} DOM nodes, ${await page.locator('#event-list li').count()} listed`);
  }
  await page.close();
  return rows;
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const emu = await emulator.start(BIN, ['--fixtures', path.join(SOURCE, 'fixtures/demo.json')]);
  try {
    const ready = await pageReady(browser, emu.base);
    console.log(`dashboard page ready (DOMContentLoaded to the site rendered): median ${median(ready).toFixed(0)} ms of 11 (min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)})`);
    for (const row of await months(browser, emu.base)) console.log(`dashboard live list, autopilot month: ${row}`);
  } finally {
    await browser.close();
    await emulator.stop(emu);
    emulator.cleanup(emu);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
