"""A fake ClinicalTrials.gov API v2: a real threaded HTTP server on 127.0.0.1.

It serves recorded answers from tests/fixtures/ctgov/ and can misbehave on demand
(`mode`: "ok", "empty", "slow", "error", "malformed"), so that the client and the whole bot
are tested against HTTP, not against mocks of our own functions.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ctgov"


class FakeCtGov:
    def __init__(self, mode: str = "ok", delay_s: float = 5.0) -> None:
        self.mode = mode
        self.delay_s = delay_s
        self.requests: list[dict[str, list[str]]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        if self.mode == "error":
            return 500, b'{"message": "internal error"}'
        if self.mode == "malformed":
            return 200, b'{"studies": [ {"protocolSection": '
        if self.mode == "empty":
            return 200, json.dumps({"studies": []}).encode()
        if self.mode == "slow":
            time.sleep(self.delay_s)
        recorded = FIXTURES / "studies_recruiting_france.json"
        return 200, recorded.read_bytes()

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                parsed = urlparse(self.path)
                query = parse_qs(parsed.query)
                fake.requests.append({"path": [parsed.path], **query})
                if parsed.path != "/api/v2/studies":
                    status, body = 404, b'{"message": "not found"}'
                else:
                    status, body = fake._answer(query)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
