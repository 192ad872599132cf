"""The ``arsearch`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def command() -> list[str]:
    script = Path(sys.executable).parent / "arsearch"
    if script.exists():
        return [str(script)]  # the installed console script
    found = shutil.which("arsearch")
    return [found] if found else [sys.executable, "-m", "arsearch.cli"]


def run(*args: str, check_rc: int | None = 0, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C", **env_vars}
    proc = subprocess.run([*command(), *args], capture_output=True, text=True, encoding="utf-8", env=env)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc
