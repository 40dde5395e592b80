"""Run moto's S3 server on loopback, optionally seeded.

    python -m devtools.s3server [--port 0] [--seed demo|buckets|none]

Prints one JSON line with the endpoint and ids once it answers, then serves
until SIGINT/SIGTERM, until standard input closes (with --stdin), or until its
parent process goes away.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading

from . import seed


def _route_keys_with_newlines() -> None:
    """Let moto's HTTP routes match keys holding a line feed (`%0A` in the path).

    moto routes S3 keys with regex converters such as `.+`, and werkzeug
    compiles routes without DOTALL, so a key with a line feed matches no route
    (an HTML 404). S3 accepts such keys; the service must list, stat and
    presign them. Each converter's pattern gets the DOTALL flag of its own.
    """
    from moto.moto_server import utilities

    original = utilities.RegexConverter.__init__
    if getattr(original, "eos_dotall", False):
        return

    def init(self, url_map, *items):
        original(self, url_map, *items)
        self.regex = f"(?s:{self.regex})"

    init.eos_dotall = True
    utilities.RegexConverter.__init__ = init


def start(port: int = 0, mode: str = "demo"):
    """Start a threaded moto server on 127.0.0.1 and seed it; return (server, endpoint, dataset)."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.server import ThreadedMotoServer

    _route_keys_with_newlines()

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, real_port = server.get_host_and_port()
    dataset = None
    if mode != "none":
        dataset = seed.seed_backend(data=(mode == "demo"))
    return server, f"http://{host}:{real_port}", dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", choices=["demo", "buckets", "none"], default="demo")
    parser.add_argument("--stdin", action="store_true", help="exit when standard input closes")
    args = parser.parse_args(argv)

    server, endpoint, dataset = start(args.port, args.seed)
    info = {
        "endpoint": endpoint,
        "userId": seed.DEMO_USER_ID,
        "orgId": seed.DEMO_ORG_ID,
        "otherUserId": seed.OTHER_USER_ID,
        "orgBucket": seed.org_bucket(seed.DEMO_ORG_ID),
        "gencoveBucket": seed.GENCOVE_BUCKET,
        "objects": len(dataset.objects) if dataset else 0,
    }
    print(json.dumps(info), flush=True)

    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    if args.stdin:
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    parent = os.getppid()
    while not done.wait(1.0):
        if os.getppid() != parent:
            break
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
