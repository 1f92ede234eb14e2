#!/usr/bin/env python3
"""A property-management office's webhook receiver: the sample a department adapts, and the
receiver of the webhook integration test (tests/integration/webhook_test.cpp).

It checks every delivery's signature (X-Sales-Signature "v1=<hex HMAC-SHA256(secret,
"<X-Sales-Timestamp>.<body>")>", the timestamp within 5 minutes), answers 401 to a bad one,
handles each X-Sales-Delivery-Id once (a repeat is acknowledged, not handled again), and appends
one JSON line per request to the record file:
  {"handled": {delivery_id, id, type, subject, sequence, data}} | {"duplicate": delivery_id}
  | {"rejected": reason}

  property_desk.py --port 9000 --secret-file secret.txt --record deliveries.jsonl
"""
import argparse
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret-file", required=True)
    parser.add_argument("--record", required=True)
    args = parser.parse_args()
    with open(args.secret_file, encoding="utf-8") as f:
        secret = f.read().strip().encode()
    lock = threading.Lock()
    # The deliveries handled before a restart stay handled (the record file is the memory).
    handled = set()
    try:
        with open(args.record, encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                if "handled" in entry:
                    handled.add(entry["handled"]["delivery_id"])
    except FileNotFoundError:
        pass

    def record(line):
        with open(args.record, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, body):
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Sales-Timestamp", "")
            signature = self.headers.get("X-Sales-Signature", "")
            delivery_id = self.headers.get("X-Sales-Delivery-Id", "")
            expected = "v1=" + hmac.new(secret, timestamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS
            if not (fresh and hmac.compare_digest(signature, expected)):
                reason = "stale timestamp" if not fresh else "bad signature"
                with lock:
                    record({"rejected": reason, "delivery_id": delivery_id})
                return self.answer(401, {"error": reason})
            event = json.loads(body)
            with lock:
                if delivery_id in handled:
                    record({"duplicate": delivery_id})
                    return self.answer(200, {"duplicate": True})
                handled.add(delivery_id)
                record({"handled": {"delivery_id": delivery_id, "id": event["id"],
                                    "type": event["type"], "subject": event["subject"],
                                    "sequence": event["sequence"], "data": event["data"]}})
            self.answer(200, {"ok": True})

        def log_message(self, fmt, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"property_desk: listening on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
