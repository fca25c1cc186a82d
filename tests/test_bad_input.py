"""Deliberately broken copies of the book: each must fail the strict build, naming the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from mdmacourse import build as course_build

pytestmark = pytest.mark.slow


def _build(copy: Path) -> str:
    result = course_build.build(copy, "student", "html", capture=True)
    assert result.returncode != 0, f"the broken book built without error:\n{result.stdout[-3000:]}"
    return result.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_unbroken_copy_builds(built_book_copy: Path):
    result = course_build.build(built_book_copy, "student", "html", capture=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_broken_cross_reference(built_book_copy: Path):
    _edit(built_book_copy / "book" / "about.md", "## Key points\n", "## Key points\n\nSee {ref}`no-such-label`.\n")
    out = _build(built_book_copy)
    assert "book/about.md" in out and "no-such-label" in out


def test_unknown_citation_key(built_book_copy: Path):
    _edit(built_book_copy / "book" / "about.md", "## Key points\n", "## Key points\n\nAs shown {cite:p}`nobody1999ghost`.\n")
    out = _build(built_book_copy)
    assert "book/about.md" in out and 'could not find bibtex key "nobody1999ghost"' in out


def test_notebook_cell_that_raises(built_book_copy: Path):
    (built_book_copy / "book" / "broken.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\nskeleton: generated\n---\n# Broken notebook\n\n```{code-cell} python\n"
        "1 / 0\n```\n", encoding="utf-8")
    _edit(built_book_copy / "_toc.yml", "- file: book/glossary", "- file: book/broken\n      - file: book/glossary")
    out = _build(built_book_copy)
    assert "book/broken" in out and "ZeroDivisionError" in out


def test_page_missing_from_the_toc(built_book_copy: Path):
    (built_book_copy / "book" / "orphan.md").write_text("# Orphan\n\nNot in the table of contents.\n", encoding="utf-8")
    out = _build(built_book_copy)
    assert "book/orphan.md: page is not listed in _toc.yml" in out


def test_missing_skeleton_section(built_book_copy: Path):
    _edit(built_book_copy / "book" / "about.md", "## Key points\n", "## Summary\n")
    out = _build(built_book_copy)
    assert "book/about.md: chapter skeleton: missing section '## Key points'" in out


def test_missing_review_date(built_book_copy: Path):
    _edit(built_book_copy / "book" / "about.md", "evidence_reviewed:", "reviewed_on:")
    out = _build(built_book_copy)
    assert "book/about.md:1: front matter has no 'evidence_reviewed: YYYY-MM-DD'" in out


def test_solution_fence_never_closed(built_book_copy: Path):
    (built_book_copy / "book" / "about.md").write_text(
        (built_book_copy / "book" / "about.md").read_text(encoding="utf-8") + "\n````{solution} x\nopen\n", encoding="utf-8")
    out = _build(built_book_copy)
    assert "book/about.md" in out and "never closed" in out


def test_malformed_data_row(built_book_copy: Path):
    _edit(built_book_copy / "book" / "data" / "trials.csv", ",published,", ",withdrawn,")
    out = _build(built_book_copy)
    assert "book/data/trials.csv line 2, field 'status', value 'withdrawn'" in out
    # the evidence notebooks stop at their first cell with the validator's message
    assert "DataValidationError" in out and "trials.csv line 2, field 'status'" in out
