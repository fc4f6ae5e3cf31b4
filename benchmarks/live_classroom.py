"""Live classroom load: 40 phones on one run, polling every 2 s and voting on 3 items.

Starts the app (``manage.py runserver`` on a free loopback port) on a fresh SQLite database in a
temporary directory (never the developer's data), creates an instructor who starts a run over
HTTP, then simulates the phones with threads, each with its own cookie jar, while the instructor
opens and closes the votes:

    .venv/bin/python benchmarks/live_classroom.py [--phones 40] [--items 3]

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POLL_SECONDS = 2.0
USERNAME = "benchmark-instructor"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway user in a temporary database

SEEN = re.compile(r"\?seen=([0-9a-f]{16})")
ITEM = re.compile(r'name="item" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="([^"]+)"')
VOTES = re.compile(r'data-testid="votes">(\d+)<')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Recorder:
    """Latencies (ms) and errors per kind of request, shared by every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, kind: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if not ok:
                self.errors[kind] += 1


class Browser:
    """One device: its own cookies, timing every request."""

    def __init__(self, base: str, recorder: Recorder) -> None:
        self.base = base
        self.recorder = recorder
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def csrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name == "csrftoken"), "")

    def request(
        self, kind: str, path: str, data: dict[str, str | list[str]] | None = None
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback only
        if body is not None:
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError:
            status, text = 0, ""
        self.recorder.add(kind, (time.perf_counter() - started) * 1000, 200 <= status < 400)
        return status, text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def prepare(directory: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEONTO_DEBUG": "1",
        "DEONTO_DATA_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'benchmark.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "deonto.settings",
        "DEONTO_LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate"], ["sync_guidance"], ["sync_course"]):
        subprocess.run([*manage, *command, "--verbosity", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    create = (
        "from deonto.accounts.services import user_create; "
        f"user_create(actor=None, username={USERNAME!r}, email='bench@example.test', language='fr', "
        f"roles=['instructor'], password={PASSWORD!r})"
    )
    subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", create], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    return env


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def phone(base: str, code: str, recorder: Recorder, stop: threading.Event, rng: random.Random) -> None:
    device = Browser(base, recorder)
    status, page = device.request("join", f"/live/{code}/")
    if status != 200:
        return
    voted: set[str] = set()
    time.sleep(rng.uniform(0, POLL_SECONDS))
    while not stop.is_set():
        item = ITEM.search(page)
        choices = CHOICE.findall(page)
        if item and choices and item.group(1) not in voted:
            time.sleep(rng.uniform(0.3, 2.5))  # reading and tapping
            data: dict[str, str | list[str]] = {
                "csrfmiddlewaretoken": device.csrf(),
                "item": item.group(1),
                "choice": rng.choice(choices),
            }
            status, _body = device.request("vote", f"/live/{code}/vote/", data)
            if status == 302:
                voted.add(item.group(1))
        time.sleep(POLL_SECONDS)
        seen = SEEN.search(page)
        status, body = device.request("poll", f"/live/{code}/state/?seen={seen.group(1) if seen else ''}")
        if status == 200:
            if "hx-trigger" not in body:
                return  # the run has ended
            page = body


def instructor(base: str, recorder: Recorder, phones: int, items: int, ready: list[str]) -> None:
    device = Browser(base, recorder)
    _status, login = device.request("instructor", "/accounts/login/")
    csrf = CSRF_FIELD.search(login)
    device.request(
        "instructor",
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf.group(1) if csrf else "", "username": USERNAME, "password": PASSWORD},
    )
    _status, start = device.request("instructor", "/training/live/")
    course = re.search(r'name="course"[^>]*>\s*<option value="(\d+)"', start)
    status, _body = device.request(
        "instructor",
        "/training/live/",
        {
            "csrfmiddlewaretoken": device.csrf(),
            "course": course.group(1) if course else "",
            "language": "fr",
            "kinds": ["cases"],
        },
    )
    _status, screen_page = device.request("instructor", "/training/live/")
    run = re.search(r'href="/training/live/(\d+)/"', screen_page)
    if status != 302 or run is None:
        raise RuntimeError("the instructor could not start a run")
    run_path = f"/training/live/{run.group(1)}/"
    _status, screen = device.request("screen", run_path)
    code = re.search(r'class="live-code"[^>]*>([A-Z0-9]{6})<', screen)
    if code is None:
        raise RuntimeError("no join code on the screen")
    ready.append(code.group(1))
    time.sleep(2 * POLL_SECONDS)  # the phones join

    def control(action: str) -> None:
        device.request(
            "control", run_path + "control/", {"csrfmiddlewaretoken": device.csrf(), "action": action}
        )

    for number in range(items):
        control("open")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            _status, state = device.request("screen", run_path + "state/")
            votes = VOTES.search(state)
            if votes and int(votes.group(1)) >= phones:
                break
        control("close")
        time.sleep(POLL_SECONDS)
        device.request("screen", run_path)
        control("feedback")
        time.sleep(POLL_SECONDS)
        control("next" if number < items - 1 else "end")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--items", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="deonto-live-") as tmp:
        env = prepare(Path(tmp))
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"{HOST}:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base)
            recorder = Recorder()
            stop = threading.Event()
            ready: list[str] = []
            started = time.perf_counter()
            teacher = threading.Thread(
                target=instructor, args=(base, recorder, args.phones, args.items, ready)
            )
            teacher.start()
            while not ready and teacher.is_alive():
                time.sleep(0.1)
            if not ready:
                raise SystemExit("the instructor could not start the run")
            rng = random.Random(7)
            threads = [
                threading.Thread(
                    target=phone, args=(base, ready[0], recorder, stop, random.Random(rng.random()))
                )
                for _phone in range(args.phones)
            ]
            for thread in threads:
                thread.start()
            teacher.join()
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"Live classroom benchmark: {args.phones} phones, {args.items} items, runserver, SQLite, "
          f"{os.cpu_count()} CPUs, {seconds:.0f} s")  # fmt: skip
    print(f"{'request':<12}{'count':>8}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind in ("join", "poll", "vote", "screen", "control", "instructor"):
        values = recorder.latencies.get(kind, [])
        print(f"{kind:<12}{len(values):>8}{recorder.errors.get(kind, 0):>8}{percentile(values, 0.5):>10.1f}"
              f"{percentile(values, 0.95):>10.1f}{max(values, default=0):>10.1f}")  # fmt: skip
    votes = recorder.latencies.get("vote", [])
    polls = recorder.latencies.get("poll", [])
    print(json.dumps({
        "phones": args.phones,
        "items": args.items,
        "duration_s": round(seconds, 1),
        "requests": sum(len(values) for values in recorder.latencies.values()),
        "votes": len(votes),
        "poll_p50_ms": round(percentile(polls, 0.5), 1),
        "poll_p95_ms": round(percentile(polls, 0.95), 1),
        "poll_max_ms": round(max(polls, default=0), 1),
        "vote_p50_ms": round(percentile(votes, 0.5), 1),
        "vote_p95_ms": round(percentile(votes, 0.95), 1),
        "vote_max_ms": round(max(votes, default=0), 1),
        "mean_poll_ms": round(statistics.fmean(polls), 1) if polls else 0,
        "errors": sum(recorder.errors.values()),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
