"""The HTTP server under the fakes: threaded, and able to drop its open connections on stop
(keep-alive clients would otherwise hold a stopping fake open)."""

import contextlib
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default backlog is 5: a burst of new connections (three consumers opening
    # their HTTP pools at once) overflowed it, and a dropped SYN is retried only a second later.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        stopping: threading.Event,
    ) -> None:
        self._stopping = stopping
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (timeouts, shutdown) is not an error of the fake.
        error = sys.exc_info()[1]
        if self._stopping.is_set() or isinstance(error, ConnectionError):
            return
        self.report_error(request, client_address, error)

    def report_error(self, request: Any, client_address: Any, error: BaseException | None) -> None:
        super().handle_error(request, client_address)
