#!/usr/bin/env python3
"""Serve the built chat widget and its demo page (web/dist) with strict security headers.

Usage: python scripts/serve_web.py [--port 8080] [--rasa-url http://localhost:5005]
Environment: WEB_PORT, WEB_HOST, RASA_URL (the arguments win).

The demo page names the Rasa server in `data-server-url`; this server rewrites that value
to --rasa-url, and the Content-Security-Policy allows exactly that server (HTTP long-polling
and WebSocket) besides the page's own origin. No inline script or style is allowed.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRECTORY = ROOT / "web" / "dist"
DEMO_SERVER_ATTRIBUTE = 'data-server-url="http://localhost:5005"'


def websocket_origin(rasa_url: str) -> str:
    """Return the ws:// (or wss://) origin matching an http(s) Rasa URL."""
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {rasa_url!r}")
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """Build the strict CSP of the demo page for a given Rasa server."""
    parts = urlsplit(rasa_url)
    http_origin = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"connect-src 'self' {http_origin} {websocket_origin(rasa_url)}; "
        "img-src 'self' data:; frame-ancestors 'self'; "
        "base-uri 'self'; form-action 'self'; object-src 'none'"
    )


def security_headers(rasa_url: str) -> dict[str, str]:
    """Every header sent with every response."""
    return {
        "Content-Security-Policy": content_security_policy(rasa_url),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "SAMEORIGIN",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cache-Control": "no-cache",
    }


class WidgetHandler(SimpleHTTPRequestHandler):
    """Static files from the dist directory, with security headers and no directory listing."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def __init__(self, *args, rasa_url: str, quiet: bool, **kwargs) -> None:
        self.rasa_url = rasa_url
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in security_headers(self.rasa_url).items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        if self.path.split("?", 1)[0] in ("/", "/index.html"):
            self._send_demo_page()
            return
        super().do_GET()

    def _send_demo_page(self) -> None:
        page = Path(self.directory) / "index.html"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            self.send_error(404, "Not found")
            return
        attribute = f'data-server-url="{html.escape(self.rasa_url, quote=True)}"'
        body = text.replace(DEMO_SERVER_ATTRIBUTE, attribute).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (base signature)
        if not self.quiet:
            super().log_message(format, *args)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument(
        "--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005").rstrip("/")
    )
    parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.directory / "widget.js").is_file():
        print(
            f"serve_web: {args.directory}/widget.js missing; run `cd web && npm ci && npm run build`.",
            file=sys.stderr,
        )
        return 1
    try:
        websocket_origin(args.rasa_url)
    except ValueError as error:
        print(f"serve_web: --rasa-url {error}", file=sys.stderr)
        return 2
    handler = functools.partial(
        WidgetHandler, directory=str(args.directory), rasa_url=args.rasa_url, quiet=args.quiet
    )
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(
        f"serve_web: demo page on http://{args.host}:{args.port}/ (Rasa: {args.rasa_url})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
