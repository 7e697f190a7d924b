#!/usr/bin/env python3
"""A webhook receiver for trying the emulator's webhooks: it prints every delivery, checks its
Standard Webhooks signature when it knows the secret, and keeps the last deliveries for tests.

    POST <any path>     a delivery: answered with WEBHOOK_RESPONSE_STATUS (default 204)
    GET  /deliveries    the deliveries kept so far, oldest first, as a JSON array
    DELETE /deliveries  forgets them
    GET  /health        {"status":"ok"}

Environment: RECEIVER_HOST (default 0.0.0.0), RECEIVER_PORT (default 9000; 0 picks a free one),
RECEIVER_READY_FILE (where to write the port once listening), WEBHOOK_SECRET (the secret given
when subscribing: whsec_<base64> or a plain string), WEBHOOK_RESPONSE_STATUS (e.g. 500, to watch
the emulator retry). Only the Python standard library is used.
"""
import base64
import binascii
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEEP = 1000
SECRET = os.environ.get("WEBHOOK_SECRET", "")
STATUS = int(os.environ.get("WEBHOOK_RESPONSE_STATUS", "204"))
deliveries = []
lock = threading.Lock()


def secret_key(secret):
    """The HMAC key: the bytes after whsec_ (base64), or the secret's own bytes."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[6:], validate=True)
        except binascii.Error:
            pass
    return secret.encode()


def signature_valid(msg_id, timestamp, body, header):
    """None without a secret; else whether one v1 signature of the header matches."""
    if not SECRET:
        return None
    content = b"%s.%s.%s" % (msg_id.encode(), timestamp.encode(), body)
    mac = hmac.new(secret_key(SECRET), content, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, s) for s in header.split())


class Handler(BaseHTTPRequestHandler):
    server_version = "keyless-webhook-receiver"

    def answer(self, status, doc=None):
        data = b"" if doc is None else json.dumps(doc, indent=1).encode() + b"\n"
        self.send_response(status)
        if doc is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.answer(200, {"status": "ok"})
        elif self.path == "/deliveries":
            with lock:
                self.answer(200, list(deliveries))
        else:
            self.answer(404, {"error": "POST deliveries anywhere; GET /deliveries"})

    def do_DELETE(self):
        with lock:
            deliveries.clear()
        self.answer(204)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        msg_id = self.headers.get("webhook-id", "")
        stamp = self.headers.get("webhook-timestamp", "")
        valid = signature_valid(msg_id, stamp, body, self.headers.get("webhook-signature", ""))
        try:
            event = json.loads(body)
        except ValueError:
            event = body.decode("utf-8", "replace")
        record = {"path": self.path, "webhookId": msg_id, "webhookTimestamp": stamp,
                  "signatureValid": valid, "body": event}
        with lock:
            deliveries.append(record)
            del deliveries[:-KEEP]
        kind = event.get("eventType", "?") if isinstance(event, dict) else "?"
        check = {None: "not checked (no WEBHOOK_SECRET)", True: "ok", False: "BAD"}[valid]
        print(f"{self.path} {kind} webhook-id={msg_id} signature {check}\n"
              f"  {json.dumps(event)}", flush=True)
        self.answer(STATUS)

    def log_message(self, fmt, *args):
        pass  # each delivery is printed above; access lines would only repeat it


def main():
    host = os.environ.get("RECEIVER_HOST", "0.0.0.0")
    server = ThreadingHTTPServer((host, int(os.environ.get("RECEIVER_PORT", "9000"))), Handler)
    port = server.server_address[1]
    ready = os.environ.get("RECEIVER_READY_FILE")
    if ready:
        with open(ready + ".tmp", "w", encoding="utf-8") as f:
            f.write(f"{port}\n")
        os.rename(ready + ".tmp", ready)
    print(f"webhook receiver listening on {host}:{port}, answering {STATUS}", flush=True)
    # As a container's process 1, SIGTERM has no default action: stop on it explicitly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
