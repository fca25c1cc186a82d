"""Every page in real Chromium (Debian's, driven by Playwright), served from 127.0.0.1:

- no JavaScript error, no failed request, no request to any host but the book's own;
- axe-core (the copy bundled in axe-playwright-python, so no network) reports no violation at any impact level,
  in light and in dark mode, on the whole page;
- at a 375-pixel phone width no page scrolls sideways;
- screenshots of representative pages at desktop and phone width are saved under _build/screenshots/.

A broken copy of the book (an image without alt text, a script from another host, text with too little contrast)
must fail these checks, naming the page and the element.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from mdmacourse import build as course_build
from mdmacourse import pages

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Reviewed allow-list of axe findings that come from third-party components the course cannot change:
#: (rule id, CSS selector of the node) -> reason. Empty: every finding so far has been fixed at its cause.
AXE_ALLOWED: dict[tuple[str, str], str] = {}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
#: Pages photographed at both widths for a person to look at (the tests only save them).
SCREENSHOT_PAGES = ["book/about", "book/protocol/dosing", "book/evidence/efficacy", "book/risks/law"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Site:
    def __init__(self, folder: Path):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def site(student_html: Path):
    served = Site(student_html)
    yield served.url
    served.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed (scripts/test installs it with apt-get)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _urls(root: Path) -> list[str]:
    return [f"/{page.docname}.html" for page in pages.toc_pages(root, "student")] + ["/search.html?q=evidence", "/index.html"]


def _open(browser, url: str, viewport=DESKTOP, scheme: str = "light"):
    """Open a page with every request outside 127.0.0.1 blocked and recorded; return (context, page, log)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    log = {"errors": [], "foreign": [], "failed": []}
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    page.on("console", lambda msg: log["errors"].append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: log["failed"].append(req.url))

    def guard(route):
        if urlparse(route.request.url).hostname not in ("127.0.0.1", None):
            log["foreign"].append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    response = page.goto(url, wait_until="networkidle")
    # the theme's scripts load after the page has painted (mdmacourse.slim.late_scripts): wait until they have run
    page.wait_for_function("!document.documentElement.dataset.scripts || document.documentElement.dataset.scripts === 'loaded'")
    log["status"] = response.status if response else None
    return context, page, log


def test_the_scripts_loaded_after_the_first_paint_work(browser, site):
    """Search, copy buttons and the light/dark switch still work with the scripts loaded after the page."""
    context, page, log = _open(browser, site + "/search.html?q=placebo")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    assert page.locator("#search-results ul.search li").count() > 3, "search found (almost) nothing"
    context.close()
    context, page, log = _open(browser, site + "/book/evidence/efficacy.html")
    assert page.locator("button.copybtn").count() > 0, "copy buttons were not added to the code cells"
    before = page.evaluate("document.documentElement.dataset.mode")
    page.locator("button.theme-switch-button").first.click()
    assert page.evaluate("document.documentElement.dataset.mode") != before, "the light/dark switch does nothing"
    assert not log["errors"], log["errors"]
    context.close()


def load_problems(browser, base: str, path: str) -> list[str]:
    context, _, log = _open(browser, base + path)
    context.close()
    problems = [] if log["status"] and log["status"] < 400 else [f"{path}: HTTP {log['status']}"]
    problems += [f"{path}: JavaScript error: {e}" for e in log["errors"]]
    problems += [f"{path}: request to another host: {u}" for u in log["foreign"]]
    problems += [f"{path}: failed request: {u}" for u in log["failed"] if u not in log["foreign"]]
    return problems


def axe_problems(browser, base: str, path: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for scheme in ("light", "dark"):
        context, page, _ = _open(browser, base + path, scheme=scheme)
        # the theme follows the reader's preference ("auto"); set the mode explicitly so that both are checked
        page.evaluate(f"document.documentElement.dataset.theme = '{scheme}'; document.documentElement.dataset.mode = '{scheme}'")
        for violation in Axe().run(page).response["violations"]:
            for node in violation["nodes"]:
                target = " ".join(map(str, node["target"]))
                if (violation["id"], target) in AXE_ALLOWED:
                    continue
                problems.append(f"{path} ({scheme} mode): axe {violation['id']} ({violation['impact']}) at {target}: "
                                f"{violation['help']}")
        context.close()
    return problems


def phone_problems(browser, base: str, path: str) -> list[str]:
    context, page, _ = _open(browser, base + path, viewport=PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    return [f"{path}: at {PHONE['width']} px the page scrolls sideways by {overflow} px"] if overflow > 1 else []


def test_pages_load_cleanly_and_privately(root: Path, site: str, browser):
    problems = [p for path in _urls(root) for p in load_problems(browser, site, path)]
    assert not problems, "\n".join(problems)


def test_pages_pass_axe_in_light_and_dark_mode(root: Path, site: str, browser):
    problems = [p for path in _urls(root) for p in axe_problems(browser, site, path)]
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways_on_a_phone(root: Path, site: str, browser):
    problems = [p for path in _urls(root) for p in phone_problems(browser, site, path)]
    assert not problems, "\n".join(problems)


def test_screenshots_for_a_reader_to_look_at(root: Path, site: str, browser):
    folder = root / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for docname in SCREENSHOT_PAGES:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context, page, _ = _open(browser, f"{site}/{docname}.html", viewport=viewport)
            target = folder / f"{docname.replace('/', '-')}-{name}.png"
            page.screenshot(path=str(target), full_page=False)
            context.close()
            assert target.stat().st_size > 10_000, f"{target.name}: screenshot looks empty"


BROKEN_PAGE = """---
evidence_reviewed: "2026-01-01"
skeleton: generated
---

# A broken page

<img src="../_static/none.png">

<script src="https://cdn.example.org/tracker.js"></script>

<p style="color:#bbbbbb;background:#ffffff">Pale grey text that fails the contrast rule.</p>
"""


def test_a_broken_page_fails_naming_page_and_element(root: Path, browser, tmp_path: Path, student_html: Path):
    """An image without alt text, a script from another host and low-contrast text each make the checks fail."""
    book = course_build.copy_book(tmp_path, root, with_cache=True)
    (book / "book" / "broken.md").write_text(BROKEN_PAGE, encoding="utf-8")
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    (book / "_toc.yml").write_text(toc.replace("      - file: book/glossary\n",
                                               "      - file: book/glossary\n      - file: book/broken\n"), encoding="utf-8")
    result = course_build.build(book, "student", "html", reread=True, capture=True)
    assert result.returncode == 0, result.stdout[-3000:]
    served = Site(course_build.html_dir(book, "student"))
    try:
        problems = load_problems(browser, served.url, "/book/broken.html") + axe_problems(browser, served.url, "/book/broken.html")
    finally:
        served.close()
    text = "\n".join(problems)
    assert "/book/broken.html: request to another host: https://cdn.example.org/tracker.js" in text, text
    assert "axe image-alt" in text and "img" in text, text
    assert "axe color-contrast" in text and "p" in text, text
