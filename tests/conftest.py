"""Shared fixtures: the repository root, strict builds of each edition (once per session), and
broken copies of the book for the bad-input tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from mdmacourse import build as course_build
from mdmacourse.project import ROOT


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _strict(edition: str, builder: str) -> Path:
    result = course_build.build(ROOT, edition, builder, reread=True, capture=True)
    assert result.returncode == 0, f"strict {edition} {builder} build failed:\n{result.stdout[-6000:]}"
    return course_build.html_dir(ROOT, edition) if builder == "html" else course_build.pdf_path(ROOT, edition)


@pytest.fixture(scope="session")
def student_html() -> Path:
    return _strict("student", "html")


@pytest.fixture(scope="session")
def instructor_html() -> Path:
    return _strict("instructor", "html")


@pytest.fixture(scope="session")
def student_pdf() -> Path:
    return _strict("student", "pdf")


@pytest.fixture(scope="session")
def instructor_pdf() -> Path:
    return _strict("instructor", "pdf")


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """A fresh copy of the book's sources (no build output) to break on purpose."""
    return course_build.copy_book(tmp_path)


@pytest.fixture
def built_book_copy(tmp_path: Path, student_html: Path) -> Path:
    """A copy to break and build, with the notebook execution cache of the main build (built first), so that
    unchanged notebooks are not executed again."""
    return course_build.copy_book(tmp_path, with_cache=True)
