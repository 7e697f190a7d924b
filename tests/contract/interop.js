'use strict';
// What stock clients do, against the real emulator: Node's own fetch (undici) sends a 2 MiB
// body whole, without Expect: 100-continue, and must read the 413 problem rather than a
// reset. Environment: KEYLESS_EMULATOR_BIN.
const assert = require('assert');
const { start, stop, cleanup } = require('./emulator');

const BIN = process.env.KEYLESS_EMULATOR_BIN;

async function largeBodyGets413(base) {
  const paths = ['/_emulator/v1/systems', '/administration/login', '/_emulator/v1/no-such-thing'];
  for (const path of paths) {
    const res = await fetch(base + path, {
      method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 0x20),
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'none',
        Accept: 'application/vnd.assaabloy.keyless.administration-2+json' },
    });
    const problem = await res.json();
    const want = path.includes('no-such-thing') ? 404 : 413;
    assert.strictEqual(res.status, want, `${path}: ${JSON.stringify(problem)}`);
    assert.strictEqual(res.headers.get('content-type'), 'application/problem+json');
    assert.strictEqual(problem.instance, path);
    console.log(`ok: fetch POST ${path} with 2 MiB: ${res.status} ${problem.detail}`);
  }
}

async function main() {
  if (!BIN) throw new Error('KEYLESS_EMULATOR_BIN is not set');
  const emu = await start(BIN);
  let failed = false;
  try {
    await largeBodyGets413(emu.base);
  } catch (e) {
    failed = true;
    console.error(`FAIL ${e.stack}`);
  } finally {
    if ((await stop(emu)).code !== 0) failed = true;
    cleanup(emu);
  }
  process.exit(failed ? 1 : 0);
}

main();
