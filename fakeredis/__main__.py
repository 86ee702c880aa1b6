"""``python -m fakeredis [--host H] [--port N]``: serve a fresh FakeServer over TCP (RESP2/RESP3)."""

from __future__ import annotations

import argparse
import logging

from fakeredis.server import DEFAULT_VERSION, FakeServer
from fakeredis.tcp_server import serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="fakeredis", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=6379, help="port to listen on (default 6379)")
    parser.add_argument("--redis-version", default=".".join(map(str, DEFAULT_VERSION)),
                        help="Redis version to behave as (default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    serve(args.host, args.port, FakeServer(version=args.redis_version))


if __name__ == "__main__":
    main()
