"""Is a TCP port already taken on this machine? (The preview and the editor's backend check before starting.)"""
from __future__ import annotations

import errno
import socket


def in_use(host: str, port: int) -> bool:
    """True when something listens on ``host:port`` (binding it fails with "address in use")."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is not "in use"
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False
