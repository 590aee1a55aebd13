"""The HTTP side: a threaded server, the request bodies PTB sends (form, multipart, JSON)."""

from __future__ import annotations

import email.message
import email.parser
import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from infra.local.fakes.http import FakeHTTPServer
from infra.local.fakes.telegram.protocol import (
    _BOOL_FIELDS,
    _INT_FIELDS,
    _JSON_FIELDS,
    ChatKey,
    JSONDict,
    _bad_request,
)
from infra.local.fakes.telegram.records import UploadedFile

# What the server calls for each request: (verb, path, content type, body) -> the answer's
# (status, content type, body).
type Answer = Callable[[str, str, str, bytes], tuple[int, str, bytes]]


class _Server(FakeHTTPServer):
    def __init__(self, address: tuple[str, int], answer: Answer, stopping: threading.Event) -> None:
        self.answer = answer
        super().__init__(address, _Handler, stopping)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._serve("POST")

    def do_GET(self) -> None:
        self._serve("GET")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, verb: str) -> None:
        body = self._read_body()
        status, content_type, payload = self.server.answer(
            verb, self.path, self.headers.get("Content-Type", ""), body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


def _parse_multipart(content_type: str, body: bytes) -> tuple[JSONDict, dict[str, UploadedFile]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser().parsebytes(head + body)
    fields: JSONDict = {}
    files: dict[str, UploadedFile] = {}
    parts = message.get_payload()
    if not isinstance(parts, list):
        return fields, files
    for part in parts:
        if not isinstance(part, email.message.Message):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = UploadedFile(name, filename, part.get_content_type(), data)
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


def _type_form_value(name: str, value: str) -> Any:
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            if name == "reply_markup":
                raise _bad_request(
                    "Bad Request: can't parse reply keyboard markup JSON object"
                ) from exc
            raise _bad_request(f"Bad Request: can't parse {name} JSON object") from exc
    if name in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in _BOOL_FIELDS and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


def _normalize_params(params: JSONDict, *, typed: bool) -> JSONDict:
    out: JSONDict = {}
    for name, value in params.items():
        if not typed and isinstance(value, str):
            value = _type_form_value(name, value)
        if (
            name in {"chat_id", "from_chat_id"}
            and isinstance(value, str)
            and re.fullmatch(r"-?\d+", value)
        ):
            value = int(value)
        out[name] = value
    return out


def _chat_key(value: Any) -> ChatKey | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    return None


def _counts_for_flood_control(method: str) -> bool:
    return (method.startswith("send") and method != "sendChatAction") or method in {
        "forwardMessage",
        "copyMessage",
        "forwardMessages",
        "copyMessages",
    }


def _json_bytes(payload: JSONDict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def parse_params(
    content_type: str, query: str, body: bytes
) -> tuple[JSONDict, dict[str, UploadedFile]]:
    raw: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    typed = False
    if body:
        if media_type == "application/json":
            try:
                decoded = json.loads(body)
            except json.JSONDecodeError as exc:
                raise _bad_request("Bad Request: can't parse JSON object") from exc
            if not isinstance(decoded, dict):
                raise _bad_request("Bad Request: can't parse JSON object")
            if raw:
                raw = _normalize_params(raw, typed=False)
            raw.update(decoded)
            typed = True
        elif media_type == "multipart/form-data":
            fields, files = _parse_multipart(content_type, body)
            raw.update(fields)
        else:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _normalize_params(raw, typed=typed), files
