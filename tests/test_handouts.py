"""Key-points handouts: one printed page per chapter, from the student HTML; one that would run over is an error."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mdmacourse import handouts, pages

pytestmark = pytest.mark.slow


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


@pytest.fixture(scope="module")
def made(root: Path, student_html: Path, tmp_path_factory) -> list[Path]:
    return handouts.write_handouts(root, student_html, tmp_path_factory.mktemp("handouts"))


def test_every_chapter_has_a_one_page_handout_with_its_key_points(root: Path, made: list[Path]):
    chapters = handouts.chapters(root)
    assert len(made) == len(chapters) + 1
    for page, pdf in zip(chapters, made):
        assert handouts.pdf_pages(pdf) == 1, f"{pdf.name}: more than one page"
        text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
        source = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        title = next(t for _, level, t in pages.headings(source) if level == 1)
        assert _squash(title) in text, f"{pdf.name}: title missing"
        block = source.split("## Key points", 1)[1].split("\n## ", 1)[0]
        for line in block.splitlines():
            if line.startswith("- "):
                words = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", line[2:]).split()[:5]
                assert _squash(" ".join(words)) in text, f"{pdf.name}: key point {line[:60]!r} missing"
    assert handouts.pdf_pages(made[-1]) == len(chapters)


def test_a_handout_that_runs_over_a_page_is_an_error_naming_the_chapter(root: Path, student_html: Path,
                                                                        tmp_path: Path, monkeypatch):
    page = handouts.chapters(root)[0]
    copy = tmp_path / "html"
    built = student_html / f"{page.docname}.html"
    target = copy / f"{page.docname}.html"
    target.parent.mkdir(parents=True)
    text = built.read_text(encoding="utf-8")
    long_list = "<ul>" + "<li>A key point far too long for one printed page of handout.</li>" * 120 + "</ul>"
    text = re.sub(r'(<section id="key-points">.*?)<ul.*?</ul>', lambda m: m.group(1) + long_list, text, count=1,
                  flags=re.S)
    target.write_text(text, encoding="utf-8")
    monkeypatch.setattr(handouts, "chapters", lambda root: [page])
    with pytest.raises(handouts.HandoutError, match=f"{page.docname}: the key points run over one page"):
        handouts.write_handouts(root, copy, tmp_path / "out")
    assert shutil.which("pdfinfo")
