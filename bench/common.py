"""Small helpers every benchmark shares: percentiles, disk usage, peak RSS, result files, a `chroma run`."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent

OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def offline_env() -> None:
    """Telemetry off and the answer mode extractive: a developer's own RAG_*/OPENAI_* must not leak in."""
    os.environ.update(OFFLINE_ENV)
    for name in [n for n in os.environ if n.startswith("RAG_") or n in ("OPENAI_API_KEY", "OPENAI_BASE_URL")]:
        os.environ.pop(name)


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def percentiles(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(pct(values, 0.50), 2),
        "p95": round(pct(values, 0.95), 2),
        "p99": round(pct(values, 0.99), 2),
        "n": len(values),
    }


def disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# Linux carries the forking process's RSS high-water mark into the child's ru_maxrss (measured: a
# /bin/true started from a 500 MB Python reports 511 MB). So the measured command is started by a
# small intermediate Python, whose own fork is small, and which reports the grandchild's ru_maxrss.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_with_peak_rss(cmd: Sequence[str], env: dict[str, str], timeout: float = 600) -> dict[str, Any]:
    """Run a command to completion: wall time, output and the command's own peak RSS."""
    import tempfile

    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as rss,
    ):
        t0 = time.perf_counter()
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, rss.name, *cmd]
        proc = subprocess.Popen(launcher, env=env, stdout=out, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        reported = Path(rss.name).read_text().strip()
        return {
            "returncode": proc.returncode,
            "seconds": wall,
            "peak_rss_mb": int(reported) / 1024 if reported else float("nan"),
            "stdout": out.read().decode(),
            "stderr": err.read().decode(),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """A `chroma run` server over `path`; yields its URL and stops it (by its own pid) afterwards."""
    port = free_port()
    log = open(path.parent / "chroma-server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **OFFLINE_ENV},
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc, timeout=20)
        log.close()


# Debian's chromium as the tests and the UI benchmark launch it. Without the background-networking flags
# it tries Google's hosts at every start, which this machine's closed network refuses.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def stop_process(proc: subprocess.Popen[Any], timeout: float = 15) -> None:
    """Terminate, then kill if it will not go: a benchmark or a test must never leave a server behind.
    (The tests use this one too.)"""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_1_5_15": [round(x, 2) for x in load],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def read_result(name: str) -> dict[str, Any]:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
