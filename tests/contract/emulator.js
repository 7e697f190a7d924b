'use strict';
// Starts the real emulator binary on an ephemeral port and talks HTTP to it.
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const READY_TIMEOUT_MS = 20000;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Starts `bin --port 0 --ready-file F --db :memory: ...extra` and waits for the base URL.
async function start(bin, extra = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ke-contract-'));
  const ready = path.join(dir, 'ready');
  const log = path.join(dir, 'stderr.log');
  const out = fs.openSync(log, 'w');
  const proc = spawn(bin, ['--port', '0', '--ready-file', ready, '--db', ':memory:', ...extra],
    { stdio: ['ignore', out, out] });
  let exited = null;
  proc.on('exit', (code, signal) => { exited = { code, signal }; });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    if (fs.existsSync(ready)) {
      const base = fs.readFileSync(ready, 'utf8').trim();
      if (base) return { base, proc, log, dir, exitedState: () => exited };
    }
    await sleep(20);
  }
  proc.kill('SIGKILL');
  throw new Error(`emulator did not become ready: ${fs.readFileSync(log, 'utf8').slice(-2000)}`);
}

// SIGTERM, then the exit status: a graceful stop exits 0.
async function stop(emu) {
  if (emu.exitedState()) return emu.exitedState();
  const done = new Promise((resolve) => emu.proc.on('exit', (code, signal) =>
    resolve({ code, signal })));
  emu.proc.kill('SIGTERM');
  const timer = setTimeout(() => emu.proc.kill('SIGKILL'), 10000);
  const result = await done;
  clearTimeout(timer);
  return result;
}

// One HTTP request. body: a JS value sent as JSON, or {raw: string|Buffer}. Resolves to
// {status, headers, text}. With expectContinue the body is sent only after 100 Continue, so a
// request refused early (413) is answered without its body being pushed.
function request(method, url, { headers = {}, body, expectContinue = false } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const hdrs = { ...headers };
    let payload = null;
    if (body !== undefined) {
      payload = Buffer.isBuffer(body.raw) ? body.raw
        : Buffer.from(body.raw !== undefined ? body.raw : JSON.stringify(body));
      if (!Object.keys(hdrs).some((h) => h.toLowerCase() === 'content-type')) {
        hdrs['Content-Type'] = 'application/json';
      }
      hdrs['Content-Length'] = payload.length;
    }
    if (expectContinue) hdrs.Expect = '100-continue';
    const req = http.request({ method, hostname: u.hostname, port: u.port,
      path: u.pathname + u.search, headers: hdrs, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error(`${method} ${url}: timed out`)));
    if (payload && expectContinue) {
      req.on('continue', () => req.end(payload));
    } else {
      req.end(payload || undefined);
    }
  });
}

// A webhook receiver on 127.0.0.1: records every POST and answers 204, or the status that
// setStatus() last gave (a failing receiver for retry tests).
function receiver() {
  const received = [];
  let answer = 204;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, text: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/hooks`, received,
    setStatus: (status) => { answer = status; },
    close: () => new Promise((r) => server.close(r)),
  })));
}

// Removes the emulator's ready file and log (after stop, once the log is no longer needed).
function cleanup(emu) {
  fs.rmSync(emu.dir, { recursive: true, force: true });
}

module.exports = { start, stop, cleanup, request, receiver, sleep };
