"""Benchmark: what a user of the app feels, in headless Chromium with the network cut off.

Run: .venv/bin/python bench/bench_ux.py [--app streamlit_app.py] [--clicks 5] [--sessions 10,20]
     [--rss-sessions 50]

Against one `streamlit run` of ``--app`` on a free local port (the machine's two cores shared by
server and browsers), it times:
- first map: navigation → 370 polygons drawn, on the fresh server and then warm (best of 3);
- click → card: a click on a city polygon → its card heading visible (median of ``--clicks``;
  between clicks, 0.8 s after the card, "取消选择" goes back to the overview and the national view);
- metric switch: 总分 ↔ 数字经济 in the sidebar, from the click on the option to the map's title
  naming it with 370 polygons drawn (timed in the page on every animation frame; median of
  ``--clicks`` switches after one switch each way that computes the two maps);
- scheme switch: 报告分级 ↔ 分位数 in the sidebar, the same way (the legend names the scheme);
- many sessions: N browser contexts opening the page at once → each one's 370 polygons
  (p50 and max) and the CPU time they took, the server's and the whole machine's (/proc; the
  browsers run on the same two cores); the server's CPU seconds per first load (sequential
  loads), and the server's RSS after ``--rss-sessions`` sessions have come and gone.
Give ``--app`` a checkout of an older commit (``git worktree add /tmp/old <commit>``) to measure
it side by side: the selectors are texts both versions show.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import ARGS, _serve  # noqa: E402  (the server starter of the first-map benchmark)

ROOT = Path(__file__).resolve().parents[1]
POLYGONS = 370
CITIES = {330100: "杭州", 420100: "武汉", 410100: "郑州", 370100: "济南", 320100: "南京",
          340100: "合肥", 130100: "石家庄"}  # east of the legend (bottom left) in the national view
HEADING = "{short}　{short}市"  # the card's heading (catalogue profile_heading) for these cities
METRICS = (("总分", "总分"), ("数字经济", "数字经济"))  # (option, text the map's title then shows)
SCHEMES = (("报告分级（一线至四线）", "报告分级"), ("分位数", "分位数"))  # (option, legend text)

# the centre of a city's polygon in the map's frame (streamlit-folium's window.map), in frame pixels
CITY_POINT = """(adcode) => {
  let found = null;
  window.map.eachLayer(l => { if (l.feature && l.feature.id === adcode && l.options.interactive !== false
                                  && l.getBounds) found = l; });
  if (!found) return null;
  const c = window.map.latLngToContainerPoint(found.getBounds().getCenter());
  const r = window.map.getContainer().getBoundingClientRect();
  return [c.x + r.left, c.y + r.top];
}"""


async def _map_frame(page, polygons: int = POLYGONS, timeout_s: float = 120, title: str | None = None):
    """The frame holding the drawn map (and, with ``title``, a map title containing it)."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if await frame.locator("path.leaflet-interactive").count() >= polygons and (
                        title is None or title in (await frame.locator(".dei-title").inner_text(timeout=200))):
                    return frame
            except Exception:  # a frame detached while Streamlit re-renders
                pass
        await asyncio.sleep(0.02)
    return None


async def _idle(page, timeout_s: float = 60) -> None:
    """Until no script run is in flight (Streamlit drops a click on a fragment that is running)."""
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_s * 1000)


async def _context(browser):
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    await context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url
                        or r.request.url.startswith("data:") else r.abort("internetdisconnected"))
    return context


async def first_map(browser, base: str) -> float:
    context = await _context(browser)
    page = await context.new_page()
    t0 = time.perf_counter()
    await page.goto(base, wait_until="domcontentloaded")
    frame = await _map_frame(page)
    elapsed = time.perf_counter() - t0 if frame else float("nan")
    await context.close()
    return elapsed


async def clicks(browser, base: str, n: int) -> list[float]:
    context = await _context(browser)
    page = await context.new_page()
    await page.goto(base, wait_until="domcontentloaded")
    times = []
    for adcode, short in list(CITIES.items())[:n]:
        frame = await _map_frame(page)
        await _idle(page)
        # back at the national view (the map moves after the run that cleared the selection)
        await frame.wait_for_function("() => window.map.getZoom() < 4 && !window.map._animatingZoom")
        await page.wait_for_timeout(300)
        x, y = await frame.evaluate(CITY_POINT, adcode)
        box = await (await frame.frame_element()).bounding_box()  # the frame's place on the page
        heading = page.get_by_text(HEADING.format(short=short), exact=True)
        t0 = time.perf_counter()
        await page.mouse.click(box["x"] + x, box["y"] + y)
        await heading.first.wait_for(state="visible", timeout=60_000)
        times.append(time.perf_counter() - t0)
        await _idle(page)
        await page.wait_for_timeout(800)  # the map has moved to the city (a user reads the card first)
        await page.get_by_role("button", name="取消选择").first.click()
        await heading.first.wait_for(state="detached", timeout=60_000)
    await context.close()
    return times


# In the page: the time (Date.now) at which a map frame shows ``text`` in its title or legend
# with every polygon drawn; checked on every animation frame, in whichever frame holds the map
# (a new one when the app mounts the map afresh, the same one when it restyles it).
DRAWN = """([text, polygons]) => { window.__drawn = null;
  const check = () => {
    for (const f of document.querySelectorAll('iframe')) {
      let d = null; try { d = f.contentDocument; } catch (e) {}
      const shown = d && [...d.querySelectorAll('.dei-title, .dei-legend')].some(e => e.textContent.includes(text));
      if (shown && d.querySelectorAll('path.leaflet-interactive').length >= polygons) {
        window.__drawn = Date.now(); return; }
    }
    requestAnimationFrame(check);
  };
  check(); }"""


async def _switch(page, label: str, option: str, shows: str) -> float:
    """Pick ``option`` in the sidebar select ``label``: from the click on the option to the map
    showing ``shows``, in the browser's own clock (opening the list is not counted)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    await box.click()
    item = page.get_by_role("option", name=option, exact=True)
    await item.wait_for()
    await page.evaluate(DRAWN, [shows, POLYGONS])
    t0 = await page.evaluate("() => Date.now()")
    await item.click()
    await page.wait_for_function("() => window.__drawn", timeout=60_000)
    return (await page.evaluate("() => window.__drawn") - t0) / 1000


async def switches(browser, base: str, n: int, label: str, options: tuple[tuple[str, str], ...]) -> list[float]:
    """``n`` switches of the sidebar select ``label``, alternating ``options`` (option, text the
    map then shows); the first switch to an option is not counted (its map is computed then)."""
    context = await _context(browser)
    page = await context.new_page()
    await page.goto(base, wait_until="domcontentloaded")
    await _map_frame(page)
    times = []
    for i in range(n + len(options) - 1):
        option, shows = options[(i + 1) % len(options)]
        await _idle(page)
        await page.wait_for_timeout(300)
        elapsed = await _switch(page, label, option, shows)
        if i >= len(options) - 1:
            times.append(elapsed)
    await context.close()
    return times


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _machine_cpu_seconds() -> float:
    """CPU time the whole machine has been busy (all cores: /proc/stat, idle and iowait excluded)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


async def sessions_at_once(browser, base: str, n: int) -> list[float]:
    return await asyncio.gather(*(first_map(browser, base) for _ in range(n)))


def _fmt(values: list[float], how: str = "median") -> str:
    values = [v for v in values if v == v]
    if not values:
        return "not drawn"
    value = statistics.median(values) if how == "median" else max(values) if how == "max" else min(values)
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


async def run(app: Path, args) -> None:
    proc, base = _serve(app)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            fresh = await first_map(browser, base)
            warm = [await first_map(browser, base) for _ in range(3)]
            print(f"first map: fresh server {_fmt([fresh])}, warm {_fmt(warm, 'min')} (best of 3)", flush=True)
            c = await clicks(browser, base, args.clicks)
            print(f"click → card: median {_fmt(c)} (n={len(c)}; {', '.join(_fmt([x]) for x in c)})", flush=True)
            m = await switches(browser, base, args.clicks, "地图指标", METRICS)
            print(f"metric switch → map redrawn: median {_fmt(m)} (n={len(m)}; {', '.join(_fmt([x]) for x in m)})",
                  flush=True)
            m = await switches(browser, base, args.clicks, "分级方式", SCHEMES)
            print(f"scheme switch → map redrawn: median {_fmt(m)} (n={len(m)}; {', '.join(_fmt([x]) for x in m)})",
                  flush=True)
            cpu0, machine0, loads = _cpu_seconds(proc.pid), _machine_cpu_seconds(), 5
            for _ in range(loads):
                await first_map(browser, base)
            print(f"server CPU per first load: {(_cpu_seconds(proc.pid) - cpu0) / loads:.2f} s "
                  f"(mean of {loads} sequential loads; the whole machine's, browser included: "
                  f"{(_machine_cpu_seconds() - machine0) / loads:.2f} s)", flush=True)
            for n in args.sessions:
                server0, machine0 = _cpu_seconds(proc.pid), _machine_cpu_seconds()
                times = await sessions_at_once(browser, base, n)
                server, machine = _cpu_seconds(proc.pid) - server0, _machine_cpu_seconds() - machine0
                print(f"{n} sessions at once: p50 {_fmt(times)}, all drawn {_fmt(times, 'max')}; CPU busy "
                      f"{machine:.1f} s on the machine, of which the server {server:.1f} s (the rest: the "
                      f"browsers and the benchmark)", flush=True)
            rss0 = _rss_mb(proc.pid)
            left = args.rss_sessions
            while left > 0:
                batch = min(10, left)
                await sessions_at_once(browser, base, batch)
                left -= batch
            await asyncio.sleep(2)
            print(f"server RSS: {rss0:.0f} MB before, {_rss_mb(proc.pid):.0f} MB after {args.rss_sessions} "
                  "more sessions (10 at a time)", flush=True)
            await browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", type=Path, default=ROOT / "streamlit_app.py")
    parser.add_argument("--clicks", type=int, default=5)
    parser.add_argument("--sessions", default="10,20")
    parser.add_argument("--rss-sessions", type=int, default=50)
    args = parser.parse_args()
    args.sessions = [int(x) for x in args.sessions.split(",") if x]
    print(f"app: {args.app.resolve()}")
    asyncio.run(run(args.app.resolve(), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
