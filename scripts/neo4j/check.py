"""Readiness probe for the local Neo4j server started by scripts/neo4j.sh.

One attempt, no retries (the shell script loops). Standard library only, plus the
official `neo4j` driver when the interpreter has it (the project's .venv does):

1. Bolt handshake on the Bolt port (magic 0x6060B017 + proposed versions; the server
   must pick a non-zero version), i.e. a real Bolt server, not just an open port.
2. HTTP discovery document on the HTTP port (JSON with "neo4j_version").
3. With the driver: log in as NEO4J_USER / NEO4J_PASSWORD and run `RETURN 1` on the
   default database (so the database is online and the password is the expected one).

Exit codes: 0 ready; 1 not ready yet (retry); 2 server up but login refused (the
password stored in the data directory differs from NEO4J_PASSWORD: do not retry).
Prints one line saying what was checked or what failed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import urllib.request

BOLT_MAGIC = b"\x60\x60\xb0\x17"
# Proposals (big-endian: reserved, range, minor, major): 5.8 down to 5.0, 4.4 down to 4.2.
BOLT_VERSIONS = b"\x00\x08\x08\x05\x00\x02\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00"


def bolt_handshake(host: str, port: int, timeout: float) -> str:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(BOLT_MAGIC + BOLT_VERSIONS)
        answer = b""
        while len(answer) < 4:
            chunk = sock.recv(4 - len(answer))
            if not chunk:
                raise ConnectionError("Bolt port closed the connection during the handshake")
            answer += chunk
    if answer == b"\x00\x00\x00\x00":
        raise ConnectionError("Bolt server agreed on no protocol version")
    return f"{answer[3]}.{answer[2]}"


def http_discovery(host: str, port: int, timeout: float) -> dict:
    with urllib.request.urlopen(f"http://{host}:{port}/", timeout=timeout) as resp:
        doc = json.loads(resp.read().decode("utf-8"))
    if "neo4j_version" not in doc:
        raise ValueError(f"no neo4j_version in discovery document: {doc}")
    return doc


def driver_check(host: str, port: int, user: str, password: str, timeout: float) -> str | None:
    try:
        import neo4j  # noqa: PLC0415
    except ImportError:
        return None
    from neo4j import GraphDatabase  # noqa: PLC0415

    with GraphDatabase.driver(f"bolt://{host}:{port}", auth=(user, password), connection_timeout=timeout) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS ok")
        assert records[0]["ok"] == 1
        agent = driver.get_server_info().agent
    return f"driver {neo4j.__version__} logged in as {user}, server {agent}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--bolt-port", type=int, default=7687)
    ap.add_argument("--http-port", type=int, default=7474)
    ap.add_argument("--timeout", type=float, default=3.0)
    args = ap.parse_args()
    user = os.environ.get("NEO4J_USER", "neo4j")
    password = os.environ.get("NEO4J_PASSWORD", "cikg-password")

    try:
        bolt = bolt_handshake(args.host, args.bolt_port, args.timeout)
        doc = http_discovery(args.host, args.http_port, args.timeout)
    except (OSError, ValueError) as exc:
        print(f"not ready: {exc}")
        return 1
    what = f"Bolt {bolt} handshake ok, HTTP says Neo4j {doc['neo4j_version']} {doc.get('neo4j_edition', '')}"
    try:
        drv = driver_check(args.host, args.bolt_port, user, password, args.timeout)
    except Exception as exc:  # noqa: BLE001 - report any driver failure in one line
        code = getattr(exc, "code", "") or ""
        if "Unauthorized" in code or "AuthenticationRateLimit" in code or type(exc).__name__ == "AuthError":
            print(f"login refused for user {user}: {code or exc}")
            return 2
        print(f"not ready: {what}; driver: {type(exc).__name__}: {exc}".replace("\n", " ")[:400])
        return 1
    print(what + (f"; {drv}" if drv else " (no neo4j driver in this Python: login not checked)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
