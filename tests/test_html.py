"""The strict HTML build of the student edition, and what it contains."""
from __future__ import annotations

import html as html_lib

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mdmacourse import pages

pytestmark = pytest.mark.slow


class _Assets(HTMLParser):
    """Collects the URLs a page loads by itself (scripts, styles, images, frames, fonts)."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source") and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
            "stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect", "dns-prefetch"
        }:
            self.loaded.append(attrs["href"])


def _html_pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


def test_every_toc_page_is_rendered_with_its_title_and_review_date(root: Path, student_html: Path):
    for page in pages.toc_pages(root, "student"):
        out = student_html / f"{page.docname}.html"
        assert out.is_file(), f"{page.docname}: not rendered"
        text = out.read_text(encoding="utf-8")
        source = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        h1 = next(title for _, level, title in pages.headings(source) if level == 1)
        assert re.sub(r"[*`]", "", h1) in text, f"{page.docname}: title {h1!r} missing from the page"
        meta = pages.front_matter(source)
        if meta.get("skeleton") != "generated":
            date, _ = pages.review_date(meta)
            assert f"Evidence last reviewed: </strong>{date.day} {date:%B %Y}" in text, (
                f"{page.docname}: review date not shown")


#: MyST syntax that must never reach a reader: a role or a directive fence that the parser did not take (for
#: example a fence whose info string holds a backtick, which CommonMark reads as a paragraph).
RAW_MYST = re.compile(r"\{(?:numref|ref|doc|eq|term|download|cite(?::\w+)?|glue(?::\w+)?)\}`|^\s*(?:`{3,}|:{3,})\{[\w-]+\}", re.M)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_no_page_shows_unparsed_myst_syntax(root: Path, edition: str, request):
    html = request.getfixturevalue(f"{edition}_html")
    problems = []
    for page in pages.toc_pages(root, edition):
        text = html_lib.unescape((html / f"{page.docname}.html").read_text(encoding="utf-8"))
        for match in RAW_MYST.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{page.docname}.html:{line}: unparsed MyST {match.group(0).strip()!r}")
    assert not problems, "\n".join(problems)


def test_every_notebook_page_offers_ipynb_and_myst_downloads_and_a_launch_button(root: Path, student_html: Path):
    import json

    notebooks = 0
    for page in pages.toc_pages(root, "student"):
        source = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        if "kernelspec" not in pages.front_matter(source):
            continue
        notebooks += 1
        text = (student_html / f"{page.docname}.html").read_text(encoding="utf-8")
        for suffix in (".ipynb", ".md"):
            assert re.search(rf'href="[./]*_sources/{re.escape(page.docname)}{suffix}"', text), (
                f"{page.docname}: no {suffix} download")
            assert (student_html / "_sources" / f"{page.docname}{suffix}").is_file()
        cells = json.loads((student_html / "_sources" / f"{page.docname}.ipynb").read_text(encoding="utf-8"))["cells"]
        assert any(cell["cell_type"] == "code" for cell in cells), f"{page.docname}.ipynb has no code cell"
        launch = re.search(r'href="(https://mybinder\.org/v2/gh/[^"]+)"', text)
        assert launch and f"{page.docname}.md" in launch.group(1), f"{page.docname}: no launch button for the notebook"
    assert notebooks >= 10, f"only {notebooks} notebook pages found"


def test_no_page_loads_anything_from_another_host(student_html: Path):
    offenders = []
    for path in _html_pages(student_html):
        parser = _Assets()
        parser.feed(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(student_html)}: {url}" for url in parser.loaded
                      if re.match(r"^(https?:)?//", url)]
    assert not offenders, "third-party assets:\n" + "\n".join(offenders)


def test_mathjax_is_served_by_the_book(student_html: Path):
    assert (student_html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    for path in _html_pages(student_html):
        assert "cdn.jsdelivr.net" not in path.read_text(encoding="utf-8"), path


def test_internal_links_and_anchors_resolve(student_html: Path, tmp_path: Path):
    linkchecker = Path(sys.executable).with_name("linkchecker")
    config = tmp_path / "linkcheckerrc"
    config.write_text("[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    result = subprocess.run(
        [str(linkchecker), "--config", str(config), "--no-status", "--no-warnings", "--recursion-level=-1",
         str(student_html / "index.html")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, f"broken internal links or anchors:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    assert re.search(r"\d+ links? in \d+ URLs? checked", result.stdout), result.stdout[-2000:]
