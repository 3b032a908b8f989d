"""Real-browser (headless Chromium) test harness, network cut off.

Fixtures (all defined here; helpers are handed out as fixtures because
importing from a ``conftest`` module is ambiguous once several test folders
have one):

``browser``            session   Playwright ``Browser`` (Debian's /usr/bin/chromium).
``offline_page``       function  fresh context + ``Page``; every non-local request
                                 is aborted and recorded.  Extra attributes:
                                 ``page.blocked_requests`` (list of URLs),
                                 ``page.js_errors`` (console errors + page errors,
                                 as strings), ``page.console_errors``,
                                 ``page.page_errors``.
``streamlit_server``   session   factory ``start(app_path, env=None) -> base_url``
                                 (one server per (app, env), killed at session end).
``map_frame``          function  helper ``map_frame(page_or_frame, timeout=30_000)
                                 -> Frame`` holding a ``.leaflet-container``.
``count_polygons``     function  helper ``count_polygons(frame) -> int``
                                 (``path.leaflet-interactive``, counted now).
``wait_for_polygons``  function  helper ``wait_for_polygons(frame, at_least=1,
                                 timeout=30_000) -> int`` (polls; never raises).
``app_url``            module    the app (``streamlit_app.py``) served: its base URL.
``page``               function  ``offline_page`` the size of a 1440×900 screen.

Every test under tests/e2e is marked ``e2e``.  Without Chromium the folder is
skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))

# Appended after Playwright's own defaults (which already include --headless,
# --no-sandbox, --disable-background-networking, --disable-component-update,
# --no-first-run ...).  Chromium keeps the LAST value of a repeated switch.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "file", "about", "chrome", "chrome-error", "devtools"}

STREAMLIT_START_TIMEOUT = float(os.environ.get("E2E_STREAMLIT_TIMEOUT", "60"))
DEFAULT_TIMEOUT_MS = 30_000


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _chromium_present() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


# --------------------------------------------------------------------------
# collection: marker + skip
# --------------------------------------------------------------------------


def pytest_configure(config):
    # Also registered in pyproject.toml; repeated here so a run with another
    # rootdir/ini does not warn about an unknown mark.
    config.addinivalue_line("markers", "e2e: real-browser tests (headless Chromium at /usr/bin/chromium)")


def pytest_collection_modifyitems(config, items):
    # This hook sees the items of the whole session: only touch our folder.
    ours = [it for it in items if Path(str(it.path)).resolve().is_relative_to(HERE)]
    for item in ours:
        item.add_marker(pytest.mark.e2e)
    if ours and not _chromium_present() and not _on_ci():
        skip = pytest.mark.skip(
            reason=f"e2e: Chromium not found at {CHROMIUM} "
            "(apt-get install chromium; Playwright must not download its own)"
        )
        for item in ours:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    # Only reached on CI (elsewhere the items were skipped at collection).
    if not _chromium_present():
        pytest.fail(
            f"CI=true but Chromium is missing at {CHROMIUM}: the e2e tests need "
            "Debian's chromium package installed (apt-get install -y chromium); "
            "they are not skipped on CI.",
            pytrace=False,
        )


# --------------------------------------------------------------------------
# browser / pages
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(_require_chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            timeout=60_000,
        )
        try:
            yield b
        finally:
            b.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    host = (parts.hostname or "").lower()
    return host in LOCAL_HOSTS


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        service_workers="block",  # SW fetches would bypass context.route
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    blocked: list[str] = []

    def _route(route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", _route)

    def _ws_route(ws):  # only called for non-local websockets (see predicate)
        blocked.append(ws.url)
        ws.close()

    context.route_web_socket(lambda url: not _is_local(url), _ws_route)

    page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []
    js_errors: list[str] = []

    def _on_console(msg):
        if msg.type == "error":
            loc = msg.location or {}
            text = f"console.error: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})"
            console_errors.append(text)
            js_errors.append(text)

    def _on_pageerror(err):
        text = f"pageerror: {err}"
        page_errors.append(text)
        js_errors.append(text)

    page.on("console", _on_console)
    page.on("pageerror", _on_pageerror)
    page.blocked_requests = blocked
    page.console_errors = console_errors
    page.page_errors = page_errors
    page.js_errors = js_errors
    try:
        yield page
    finally:
        context.close()


# --------------------------------------------------------------------------
# Leaflet helpers
# --------------------------------------------------------------------------


def _walk_frames(root):
    """Breadth-first: the frame itself, then its descendants."""
    queue = [root]
    while queue:
        f = queue.pop(0)
        yield f
        try:
            queue.extend(f.child_frames)
        except Exception:
            pass


def _map_frame(page_or_frame, timeout: float = DEFAULT_TIMEOUT_MS):
    """Wait for, and return, the Frame that holds a Leaflet ``.leaflet-container``.

    Works on a top-level page (exported HTML) and finds the streamlit-folium
    component iframe (nested one level under the Streamlit page).  Frames are
    re-read on every poll because Streamlit re-creates the iframe on reruns.
    """
    from playwright.sync_api import Error as PWError

    root = getattr(page_or_frame, "main_frame", page_or_frame)
    page = getattr(root, "page", None) or page_or_frame
    deadline = time.monotonic() + timeout / 1000
    seen: list[str] = []
    while True:
        seen = []
        for frame in _walk_frames(root):
            try:
                if frame.is_detached():
                    continue
                seen.append(frame.url[:120])
                if frame.locator(".leaflet-container").count() > 0:
                    return frame
            except PWError:
                continue  # detached / navigating mid-poll
        if time.monotonic() >= deadline:
            break
        page.wait_for_timeout(100)  # also pumps Playwright's event loop
    raise AssertionError(
        f"no .leaflet-container in any frame within {timeout} ms; frames: {seen}"
    )


def _count_polygons(frame) -> int:
    return frame.locator("path.leaflet-interactive").count()


def _wait_for_polygons(frame, at_least: int = 1, timeout: float = DEFAULT_TIMEOUT_MS) -> int:
    deadline = time.monotonic() + timeout / 1000
    while True:
        n = _count_polygons(frame)
        if n >= at_least or time.monotonic() >= deadline:
            return n
        frame.page.wait_for_timeout(100)


@pytest.fixture
def map_frame():
    return _map_frame


@pytest.fixture
def count_polygons():
    return _count_polygons


@pytest.fixture
def wait_for_polygons():
    return _wait_for_polygons


# --------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def _tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return "<no log>"


def _health_ok(base: str) -> bool:
    try:
        # Explicitly no proxy: a proxy from the environment must not see 127.0.0.1.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _start_streamlit(app: Path, env: dict | None, logdir: Path):
    full_env = dict(os.environ)
    full_env.update(
        {
            "STREAMLIT_SERVER_HEADLESS": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if env:
        full_env.update({k: str(v) for k, v in env.items()})
    last_err = ""
    for _ in range(3):  # retry only if the free port got taken meanwhile
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        out = logdir / f"{app.stem}-{port}.stdout.log"
        err = logdir / f"{app.stem}-{port}.stderr.log"
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
        ]
        with open(out, "wb") as fo, open(err, "wb") as fe:
            proc = subprocess.Popen(
                cmd,
                cwd=str(app.parent),
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=fo,
                stderr=fe,
                start_new_session=True,  # own process group -> killpg at teardown
            )
        deadline = time.monotonic() + STREAMLIT_START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if _health_ok(base):
                return proc, base
            time.sleep(0.2)
        exited = proc.poll() is not None
        _kill_group(proc)
        what = (
            f"exited with code {proc.returncode} before {base}/_stcore/health answered ok"
            if exited
            else f"did not answer ok on {base}/_stcore/health within {STREAMLIT_START_TIMEOUT:.0f}s (killed)"
        )
        last_err = (
            f"streamlit server for {app} {what}\n"
            f"cmd: {' '.join(cmd)}\n--- stderr ---\n{_tail(err)}\n--- stdout ---\n{_tail(out)}"
        )
        if not (exited and "already in use" in _tail(err) + _tail(out)):
            break
    pytest.fail(last_err, pytrace=False)


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory):
    """Factory: ``base_url = streamlit_server(app_path, env=None)``.

    One server per (resolved app path, env) for the whole session; all are
    killed (whole process group) at session end.
    """
    logdir = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[tuple, tuple[subprocess.Popen, str]] = {}

    def start(app_path, env: dict | None = None) -> str:
        app = Path(app_path).resolve()
        if not app.is_file():
            raise FileNotFoundError(app)
        key = (str(app), tuple(sorted((env or {}).items())))
        if key in servers:
            proc, base = servers[key]
            if proc.poll() is None:
                return base
            pytest.fail(
                f"streamlit server for {app} died (code {proc.returncode}); logs in {logdir}",
                pytrace=False,
            )
        servers[key] = _start_streamlit(app, env, logdir)
        return servers[key][1]

    try:
        yield start
    finally:
        for proc, _ in servers.values():
            _kill_group(proc)


APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"


@pytest.fixture(scope="module")
def app_url(streamlit_server):
    """The app served (one server for the session)."""
    return streamlit_server(APP)


@pytest.fixture
def page(offline_page):
    """An offline page the size of a 1440×900 screen."""
    offline_page.set_viewport_size({"width": 1440, "height": 900})
    return offline_page
