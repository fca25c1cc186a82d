"""Shared fixtures: the repository root, strict builds of each edition (once per session), and
broken copies of the book for the bad-input tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdmacourse import build as course_build
from mdmacourse.project import ROOT

#: What a copy of the book needs (everything the build reads).
BOOK_FILES = ("_config.yml", "_toc.yml", "book", "figures")


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
    for name in BOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    return tmp_path
