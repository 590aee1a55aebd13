"""The pre-signed S3 URL CloudFormation waits on for a custom resource's answer, on 127.0.0.1."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

type Answers = list[dict[str, Any]]


class _Responses(BaseHTTPRequestHandler):
    received: Answers

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def cloudformation() -> Iterator[tuple[str, Answers]]:
    """A ResponseURL and the answers it received, in order."""
    received: Answers = []
    handler = type("Responses", (_Responses,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/response?X-Amz-Signature=3f5a", received
    server.shutdown()
    server.server_close()
