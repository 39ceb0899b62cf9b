"""Expected set-up failures print one clear line, never a stack trace."""
import os
import socket
import subprocess
from pathlib import Path

import pytest

from scripts.stack import Stack, StackError

ROOT = Path(__file__).resolve().parent.parent


def test_missing_python310_prints_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHON": "/nonexistent/python"}
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "find_python.sh")], env=env, capture_output=True, text=True
    )
    if result.returncode == 0:  # this machine has a system-wide 3.10
        assert "3.10" in subprocess.run(
            [result.stdout.strip(), "--version"], capture_output=True, text=True
        ).stdout
        pytest.skip("a system-wide Python 3.10 exists, the error path cannot be exercised here")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Python 3.10 is required" in lines[0]
    assert "Traceback" not in result.stderr


def test_find_python_honours_PYTHON_when_it_is_310():
    found = subprocess.run(
        ["bash", str(ROOT / "scripts" / "find_python.sh")], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    python = found.stdout.strip()
    again = subprocess.run(
        ["bash", str(ROOT / "scripts" / "find_python.sh")],
        env={**os.environ, "PYTHON": python},
        capture_output=True,
        text=True,
    )
    assert again.stdout.strip() == python


def test_port_in_use_is_reported_in_one_line(tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        stack = Stack(model=model, rasa_port=port, action_port=port + 1, log_dir=tmp_path)
        with pytest.raises(StackError, match=f"port {port} .*already in use"):
            stack.start()
    assert stack.processes == {}


def test_missing_model_is_reported(tmp_path):
    stack = Stack(model=tmp_path / "missing.tar.gz", log_dir=tmp_path)
    with pytest.raises(StackError, match="make train"):
        stack.start()


def test_stop_removes_the_endpoints_file_written_for_the_rasa_server(tmp_path):
    stack = Stack(model=tmp_path / "model.tar.gz", log_dir=tmp_path, tracker_db=tmp_path / "t.db")
    written = stack._endpoints_file()
    assert str(tmp_path / "t.db") in written.read_text(encoding="utf-8")
    stack.stop()
    assert not written.exists()
    stack.stop()  # a second stop (run.py's signal handler, then its finally) is harmless


def test_second_install_with_unchanged_requirements_is_a_no_op():
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "install.sh")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout
