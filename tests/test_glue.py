"""Every number glued into any page is what the module computes from the data, and the built pages show it
(slow: needs the HTML build)."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mdmacourse import data, editions, evidence, pages

pytestmark = pytest.mark.slow
GLUE = re.compile(r"\{glue:text\}`([\w-]+)(?::[^`]*)?`")


def test_every_page_that_glues_has_its_numbers_registered(root: Path):
    gluing = {p.docname for p in pages.toc_pages(root)
              if GLUE.search(pages.source_path(root, p.docname).read_text(encoding="utf-8"))}
    assert gluing, "no page glues numbers"
    unregistered = gluing - set(evidence.NUMBERS_BY_PAGE)
    assert not unregistered, f"pages glue numbers that evidence.NUMBERS_BY_PAGE does not compute: {unregistered}"


@pytest.mark.parametrize("docname", sorted(evidence.NUMBERS_BY_PAGE))
def test_glued_numbers_match_the_module_and_reach_the_page(root: Path, student_html: Path, docname: str):
    expected = evidence.page_numbers(data.load(root / "book" / "data"), docname)
    # numbers glued inside solutions appear only in the instructor edition
    source = editions.strip_for("student", (root / f"{docname}.md").read_text(encoding="utf-8"))
    used = set(GLUE.findall(source))
    assert used, f"{docname}: no glued numbers found"
    missing = used - set(expected)
    assert not missing, f"{docname}: glue keys not produced by the module: {missing}"
    page = html.unescape(re.sub(r"<[^>]+>", "", (student_html / f"{docname}.html").read_text(encoding="utf-8")))
    for key in sorted(used):
        assert expected[key] in page, f"{docname}: glued {key} = {expected[key]!r} not on the built page"
