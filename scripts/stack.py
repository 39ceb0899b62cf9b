"""Start, watch and stop the assistant's processes (action server, Rasa server, web page).

Used by `make run` (scripts/run.py), the end-to-end tests (tests/conftest.py) and the
benchmark (scripts/bench.py), so that all three start the product the same way.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


class StackError(RuntimeError):
    """An expected start-up failure, reported to the user in one line."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_json(url: str, payload: dict, timeout: float = 30.0) -> tuple[int, object]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (local)
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, body.decode("utf-8", "replace")


def latest_model(models_dir: Path = ROOT / "models") -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise StackError("no trained model in models/: run 'make train' (or 'make run', which trains).")
    return models[-1]


@dataclass
class Stack:
    """The action server, the Rasa server and optionally the demo web page."""

    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int | None = None
    token: str = "local-dev-token"
    host: str = "127.0.0.1"
    log_dir: Path = field(default_factory=lambda: ROOT / "var" / "logs")
    tracker_db: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)
    started_at: float = 0.0
    endpoints_path: Path | None = None

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def web_url(self) -> str | None:
        return f"http://localhost:{self.web_port}" if self.web_port else None

    def _endpoints_file(self) -> Path:
        with open(ROOT / "endpoints.yml", encoding="utf-8") as handle:
            endpoints = yaml.safe_load(handle) or {}
        endpoints["action_endpoint"] = {"url": f"{self.action_url}/webhook"}
        if self.tracker_db is not None:
            # the store of endpoints.yml, on another SQLite file
            store = endpoints.get("tracker_store") or {"type": "SQL"}
            endpoints["tracker_store"] = {**store, "dialect": "sqlite", "db": str(self.tracker_db)}
        handle, path = tempfile.mkstemp(prefix="endpoints-", suffix=".yml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(endpoints, out)
        # removed by stop(): one file was left in the temp folder per start
        self.endpoints_path = Path(path)
        return self.endpoints_path

    def _spawn(self, name: str, args: list[str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (kept open for the child)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.extra_env}
        # Rasa's usage telemetry would post events to a third party (see the Makefile)
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        self.commands[name] = args
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )

    def start(self) -> None:
        if not self.model.exists():
            raise StackError(f"model {self.model} not found: run 'make train'.")
        ports = {"action server": self.action_port, "Rasa server": self.rasa_port}
        if self.web_port:
            ports["web page"] = self.web_port
        for what, port in ports.items():
            if not port_is_free(port):
                raise StackError(
                    f"port {port} ({what}) is already in use: stop what uses it "
                    f"(e.g. 'fuser -k {port}/tcp') or choose another port."
                )
        self.started_at = time.monotonic()
        rasa = str(VENV_BIN / "rasa")
        self._spawn("actions", [rasa, "run", "actions", "--actions", "actions", "-p", str(self.action_port)])
        self._spawn(
            "rasa",
            [
                rasa, "run", "-m", str(self.model), "-i", self.host, "-p", str(self.rasa_port),
                "--enable-api", "--auth-token", self.token, "--cors", "*",
                "--credentials", str(ROOT / "credentials.yml"),
                "--endpoints", str(self._endpoints_file()),
            ],
        )
        if self.web_port:
            self._spawn(
                "web",
                [
                    str(VENV_BIN / "python"), str(ROOT / "scripts" / "serve_web.py"),
                    "--port", str(self.web_port), "--rasa-url", f"http://localhost:{self.rasa_port}",
                ],
            )

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.log_dir / f"{name}.log").read_text(errors="replace").strip().splitlines()[-5:]
                raise StackError(f"the {name} process stopped during start-up: " + " | ".join(tail))

    def wait_ready(self, timeout: float = 180.0) -> float:
        """Wait until every process answers; return seconds since start."""
        deadline = time.monotonic() + timeout
        checks = {
            "actions": f"{self.action_url}/health",
            "rasa": f"{self.rasa_url}/status?token={self.token}",
        }
        if self.web_port:
            checks["web"] = f"http://{self.host}:{self.web_port}/"
        pending = dict(checks)
        while pending:
            self._check_alive()
            for name, url in list(pending.items()):
                try:
                    status, _ = http_get(url, timeout=2)
                except OSError:
                    continue
                if status == 200:
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise StackError(f"timed out waiting for: {', '.join(pending)} (logs in {self.log_dir})")
            if pending:
                time.sleep(0.5)
        return time.monotonic() - self.started_at

    def send(self, text: str, sender: str = "user", timeout: float = 30.0) -> list[dict]:
        status, body = post_json(
            f"{self.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout
        )
        if status != 200:
            raise StackError(f"REST webhook answered HTTP {status}: {body}")
        return body or []

    def parse(self, text: str) -> dict:
        status, body = post_json(f"{self.rasa_url}/model/parse?token={self.token}", {"text": text})
        if status != 200:
            raise StackError(f"/model/parse answered HTTP {status}: {body}")
        return body

    def kill(self, name: str) -> None:
        """Stop one process (e.g. the action server, to test the failure path)."""
        process = self.processes[name]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def respawn(self, name: str) -> None:
        self._spawn(name, self.commands[name])

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        self.processes.clear()
        if self.endpoints_path is not None:
            self.endpoints_path.unlink(missing_ok=True)
            self.endpoints_path = None


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        pids += [int(c) for c in children]
    except FileNotFoundError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


if __name__ == "__main__":  # pragma: no cover
    print("use scripts/run.py", file=sys.stderr)
    sys.exit(2)
