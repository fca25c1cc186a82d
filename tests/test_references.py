"""The bibliography: stable links, one key scheme, and retracted papers marked wherever they are cited (quick)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from mdmacourse import pages

KEY_SCHEME = re.compile(r"^[a-z][a-z0-9]*\d{4}[a-z0-9]+$")
CITE = re.compile(r"\{(?:cite|footcite)(?::[a-z]+)?\}`([^`]+)`")


@pytest.fixture(scope="module")
def bib(root: Path):
    return parse_file(str(root / "book" / "references.bib"))


def _citations(root: Path):
    """(file, line number, paragraph text, key) for every citation in the book's pages."""
    for page in pages.toc_pages(root):
        path = pages.source_path(root, page.docname)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            for match in CITE.finditer(line):
                for key in match.group(1).split(","):
                    yield path.relative_to(root), number, line, key.strip()


def test_every_entry_has_a_doi_or_url_and_follows_the_key_scheme(bib):
    problems = []
    for key, entry in bib.entries.items():
        if not ("doi" in entry.fields or "url" in entry.fields):
            problems.append(f"references.bib: {key}: no doi or url")
        if not KEY_SCHEME.match(key):
            problems.append(f"references.bib: {key}: key does not follow firstauthorYEARword (lower case)")
    assert not problems, "\n".join(problems)


def test_every_cited_key_exists(root: Path, bib):
    missing = [f"{f}:{n}: unknown citation key {k!r}" for f, n, _, k in _citations(root) if k not in bib.entries]
    assert not missing, "\n".join(missing)


def test_retracted_papers_are_marked_wherever_cited(root: Path, bib):
    retracted = {key for key, entry in bib.entries.items()
                 if entry.fields.get("note", "").startswith("RETRACTED")}
    assert retracted, "the bibliography should mark retracted papers with a note starting RETRACTED"
    unmarked = [f"{f}:{n}: cites retracted {k!r} without saying it is retracted"
                for f, n, line, k in _citations(root) if k in retracted and "retract" not in line.lower()]
    assert not unmarked, "\n".join(unmarked)
