"""Every page in real Chromium (Debian's, driven by Playwright): no JavaScript error, no failed request,
no request to any host but the book's own. Accessibility and phone checks come with the reader-experience work."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from mdmacourse import pages

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(student_html: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(student_html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
    return [f"/{page.docname}.html" for page in pages.toc_pages(root)] + ["/search.html?q=evidence", "/index.html"]


def test_pages_load_cleanly_and_privately(root: Path, site: str, browser, tmp_path: Path):
    problems = []
    for path in _urls(root):
        context = browser.new_context()
        page = context.new_page()
        errors, foreign, failed = [], [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("requestfailed", lambda req: failed.append(req.url))

        def guard(route):
            if urlparse(route.request.url).hostname not in ("127.0.0.1", None):
                foreign.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", guard)
        response = page.goto(site + path, wait_until="networkidle")
        if response is None or not response.ok:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
        problems += [f"{path}: JavaScript error: {e}" for e in errors]
        problems += [f"{path}: request to another host: {u}" for u in foreign]
        problems += [f"{path}: failed request: {u}" for u in failed if u not in foreign]
        context.close()
    assert not problems, "\n".join(problems)
