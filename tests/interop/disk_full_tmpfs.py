#!/usr/bin/env python3
"""A real full disk: the emulator's database on a 3 MB tmpfs, mounted in a private mount
namespace (the script runs itself again under `unshare -m`; it exits 77, meson's "skipped",
where the machine does not let a test do that). Four writers create users until the disk
is full: writes are then 507 problems and health says degraded; a filler file is deleted
to make room and writes succeed again; then kill -9, a restart, and every user the emulator
answered 201 for is there. The portable version of this test, with a fault-injecting VFS,
is tests/api/test_disk_full.c."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

VND = 'application/vnd.assaabloy.keyless.administration-2+json'


def mount_tmpfs(path):
    os.makedirs(path, exist_ok=True)
    return subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', path],
                          capture_output=True).returncode == 0


def start(db, ready):
    if os.path.exists(ready):
        os.unlink(ready)
    proc = subprocess.Popen([os.environ['KEYLESS_EMULATOR_BIN'], '--port', '0', '--db', db,
                             '--ready-file', ready], stdout=subprocess.DEVNULL,
                            stderr=open(ready + '.log', 'a'))
    for _ in range(1000):
        if os.path.exists(ready) and open(ready).read().strip():
            return proc, open(ready).read().strip()
        time.sleep(0.01)
    sys.exit('the emulator did not become ready: ' + open(ready + '.log').read()[-2000:])


def call(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={'Content-Type': 'application/json', **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read() or b'null')
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b'null')


def login(base, system):
    _, tok = call('POST', f'{base}/_emulator/v1/systems/{system}/admin-token')
    return {'X-Api-Key': tok['apiKey'], 'Authorization': 'Bearer ' + tok['token'], 'Accept': VND}


def in_own_mount_namespace():
    """Runs this script again in a private mount namespace, once."""
    if os.environ.get('KE_TMPFS_TEST_INSIDE') == '1':
        return
    env = {**os.environ, 'KE_TMPFS_TEST_INSIDE': '1'}
    try:
        rc = subprocess.run(['unshare', '-m', sys.executable, *sys.argv], env=env).returncode
    except OSError:
        rc = 77
    # unshare itself fails with 1 where namespaces are not allowed: that is a skip.
    if rc == 1 and subprocess.run(['unshare', '-m', 'true'], capture_output=True).returncode:
        print('skipped: this machine does not let the test make a mount namespace')
        rc = 77
    sys.exit(rc)


def main():
    in_own_mount_namespace()
    work = tempfile.mkdtemp()
    disk = os.path.join(work, 'disk')
    if not mount_tmpfs(disk):
        print('skipped: this machine does not let the test mount a tmpfs')
        sys.exit(77)
    db, ready = os.path.join(disk, 'store.db'), os.path.join(work, 'ready')
    proc, base = start(db, ready)
    _, system = call('POST', f'{base}/_emulator/v1/systems', {'name': 'Full disk'})
    headers = login(base, system['id'])
    # Most of the room goes to a filler file, so that the store fills it in a few hundred
    # writes; deleting the filler is "freeing space".
    filler = os.path.join(disk, 'filler')
    with open(filler, 'wb') as f:
        f.write(b'\0' * (2 * 1024 * 1024))
    acknowledged, refused, lock, stop = [], [0], threading.Lock(), threading.Event()

    def writer():
        while not stop.is_set():
            status, body = call('POST', f'{base}/administration/user', {'role': 'USER'}, headers)
            with lock:
                if status == 201:
                    acknowledged.append(body['id'])
                elif status == 507 and body['status'] == 507:
                    refused[0] += 1
                else:
                    print(f'FAIL: a write answered {status} {body}')
                    sys.exit(1)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while refused[0] < 20 and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    _, health = call('GET', f'{base}/_emulator/v1/health')
    os.unlink(filler)
    for _ in range(50):
        _, healed = call('GET', f'{base}/_emulator/v1/health')
        if healed['status'] == 'ok':
            break
        time.sleep(0.1)
    failures = 0
    checks = [
        (refused[0] >= 20, f'{refused[0]} writes answered 507 on the full disk'),
        (health['status'] == 'degraded' and health['reason'] == 'database or disk is full',
         f'health while full: {health}'),
        (healed['status'] == 'ok', f'health once space was freed: {healed}'),
    ]
    status, _ = call('POST', f'{base}/administration/user', {'role': 'USER'}, headers)
    checks.append((status == 201, f'a write after space was freed: {status}'))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc, base = start(db, ready)
    headers = login(base, system['id'])
    missing = [i for i in acknowledged
               if call('GET', f'{base}/administration/user/{i}', headers=headers)[0] != 200]
    checks.append((not missing, f'{len(acknowledged)} acknowledged users after kill -9, '
                                f'{len(missing)} missing'))
    proc.terminate()
    checks.append((proc.wait(timeout=10) == 0, 'a clean stop'))
    for ok, what in checks:
        print(('ok: ' if ok else 'FAIL: ') + what)
        failures += not ok
    subprocess.run(['umount', disk])
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
