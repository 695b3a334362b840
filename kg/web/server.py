"""``kg serve``: the application (``kg.web.app``) under uvicorn, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Callable

from ingest.model import InputError
from kg.store import WorkspaceError, workspace_path
from kg.web.app import LOOPBACK_HOSTS, Settings, create_app
from kg.web.workers import Limits

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``; an error naming the option when it cannot be had."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port must be from 0 to 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host {host!r} is not an address of this machine ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family in (socket.AF_INET, socket.AF_INET6):  # inherited by each connection: no 40 ms Nagle/delayed-ACK
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # stall between an answer's head and body
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == 98:
            raise InputError(f"--port {port}: the port is in use on {host} (another kg serve? choose another with "
                             "--port)") from None
        raise InputError(f"--host {host} --port {port}: cannot listen there ({exc.strerror})") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(workspace: str | os.PathLike[str] | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          limits: Limits | None = None, workers: int = 2, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the workspace until interrupted (Ctrl-C)."""
    import uvicorn

    root = workspace_path(workspace)
    if not (root / "oxigraph").is_dir():
        raise WorkspaceError(f"no workspace here (`kg ingest PATH -w {root}` creates one; -w DIR or KG_WORKSPACE "
                             "names another)", str(root))
    if workers < 1:
        raise InputError(f"--workers must be 1 or more, got {workers}")
    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    hosts = None if _loopback(host) else ["*"]  # bound to another address on purpose: any Host header
    if hosts is None and host not in LOOPBACK_HOSTS:
        hosts = LOOPBACK_HOSTS + [host]
    app = create_app(Settings(workspace=root, limits=limits or Limits(), workers=workers), allowed_hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{real_port}/"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    logging.getLogger("kg.serve").setLevel(logging.WARNING)
    if on_ready:
        on_ready(url)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then passed Ctrl-C on: stopping is what was asked
        pass
