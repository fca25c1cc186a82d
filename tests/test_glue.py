"""Every number glued into the evidence chapters is what the module computes from the data, and the built
pages show it (slow: needs the HTML build)."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mdmacourse import data, evidence

pytestmark = pytest.mark.slow

CHAPTERS = {"book/evidence/landscape": evidence.landscape_numbers, "book/evidence/efficacy": evidence.efficacy_numbers,
            "book/evidence/response": evidence.responder_numbers, "book/evidence/safety": evidence.safety_numbers}


@pytest.mark.parametrize("docname", sorted(CHAPTERS))
def test_glued_numbers_match_the_module_and_reach_the_page(root: Path, student_html: Path, docname: str):
    expected = CHAPTERS[docname](data.load(root / "book" / "data"))
    source = (root / f"{docname}.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([\w-]+)(?::[^`]*)?`", source))
    assert used, f"{docname}: no glued numbers found"
    missing = used - set(expected)
    assert not missing, f"{docname}: glue keys not produced by the module: {missing}"
    page = html.unescape(re.sub(r"<[^>]+>", "", (student_html / f"{docname}.html").read_text(encoding="utf-8")))
    for key in sorted(used):
        assert expected[key] in page, f"{docname}: glued {key} = {expected[key]!r} not on the built page"
