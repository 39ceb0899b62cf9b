"""`make run`: start the action server (5055), the Rasa server (5005) and the demo page (8080).

Ports and the API token come from the environment (see .env.example). Ctrl-C stops everything.
"""
from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import ROOT, Stack, StackError, latest_model  # noqa: E402


def api_token() -> str:
    """RASA_TOKEN from the environment, else a generated token kept in var/rasa-token."""
    token = os.environ.get("RASA_TOKEN", "").strip()
    if token:
        return token
    path = ROOT / "var" / "rasa-token"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path.write_text(token)
    path.chmod(0o600)
    return token


def main() -> int:
    try:
        stack = Stack(
            model=latest_model(),
            rasa_port=int(os.environ.get("RASA_PORT", 5005)),
            action_port=int(os.environ.get("ACTION_PORT", 5055)),
            web_port=int(os.environ.get("WEB_PORT", 8080)),
            token=api_token(),
            host=os.environ.get("RASA_HOST", "127.0.0.1"),
        )
        print(f"==> Starting the assistant with {stack.model.name} (about 30 s)...", flush=True)
        stack.start()
        seconds = stack.wait_ready()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        if "stack" in locals():
            stack.stop()
        return 1
    except KeyboardInterrupt:
        stack.stop()
        return 130

    print(
        f"""
==> Ready in {seconds:.0f} s.
    Chat widget (demo hospital page): {stack.web_url}/
    REST:  curl -s {stack.rasa_url}/webhooks/rest/webhook -d '{{"sender":"moi","message":"bonjour"}}'
    HTTP API token: in $RASA_TOKEN or var/rasa-token
    Logs: var/logs/   Stop: Ctrl-C
""",
        flush=True,
    )
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    print(f"error: the {name} process stopped (see var/logs/{name}.log).", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("==> Stopping...", flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
