"""The table of contents and the chapter skeleton (quick: reads sources only)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mdmacourse import pages

GOOD_CHAPTER = """---
evidence_reviewed: 2026-01-15
---
# A chapter

## Learning objectives

- one

## Body

```{note}
## Not a section: inside a directive
```

## Key points

## Exercises

## References
"""


def test_every_toc_page_follows_the_skeleton(root: Path):
    problems = pages.check_book(root)
    assert not problems, "\n".join(map(str, problems))


def test_toc_has_a_landing_page_chapters_and_back_matter(root: Path):
    roles = [page.role for page in pages.toc_pages(root)]
    assert roles[0] == "landing"
    assert "chapter" in roles and "back" in roles


def test_the_instructor_guide_is_a_part_of_its_own_left_out_of_the_student_edition(root: Path):
    everything = pages.toc_pages(root)
    guide = [page.docname for page in everything if page.role == "instructor"]
    assert guide and all(name.startswith(pages.INSTRUCTOR_DIR + "/") for name in guide)
    assert [page.docname for page in pages.toc_pages(root, "student")] == [
        page.docname for page in everything if page.role != "instructor"]


@pytest.mark.parametrize("part, message", [
    ("  - caption: Mixed\n    chapters:\n      - file: book/instructor/a\n      - file: book/b\n",
     "part 'Mixed' mixes instructor-guide pages"),
    ("  - caption: Guide\n    numbered: true\n    chapters:\n      - file: book/instructor/a\n",
     "part 'Guide': the instructor guide is not numbered"),
])
def test_a_badly_placed_instructor_guide_is_named(tmp_path: Path, part: str, message: str):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\nparts:\n" + part, encoding="utf-8")
    problems = [str(p) for p in pages.instructor_part_problems(tmp_path)]
    assert len(problems) == 1 and problems[0].startswith("_toc.yml: " + message), problems


def _write(tmp_path: Path, text: str) -> pages.Page:
    (tmp_path / "book").mkdir(exist_ok=True)
    (tmp_path / "book" / "ch.md").write_text(text, encoding="utf-8")
    return pages.Page("book/ch", "chapter")


def test_a_good_chapter_passes(tmp_path: Path):
    assert pages.check_page(tmp_path, _write(tmp_path, GOOD_CHAPTER)) == []


@pytest.mark.parametrize("section", pages.REQUIRED_SECTIONS)
def test_a_missing_section_is_named_with_the_file(tmp_path: Path, section: str):
    text = GOOD_CHAPTER.replace(f"## {section}\n", "")
    problems = pages.check_page(tmp_path, _write(tmp_path, text))
    assert [str(p) for p in problems] == [f"book/ch.md: chapter skeleton: missing section '## {section}'"]


def test_sections_out_of_order_are_reported(tmp_path: Path):
    text = GOOD_CHAPTER.replace("## Exercises\n\n## References\n", "## References\n\n## Exercises\n")
    problems = pages.check_page(tmp_path, _write(tmp_path, text))
    assert len(problems) == 1 and "in that order" in problems[0].message


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "front matter has no 'evidence_reviewed"),
        ("'15 Jan 2026'", "must be a date written YYYY-MM-DD"),
        ("'2026-02-30'", "is not a real date"),
        ((dt.date.today() + dt.timedelta(days=2)).isoformat(), "lies in the future"),
    ],
)
def test_a_bad_review_date_is_reported(tmp_path: Path, value, expected):
    line = "" if value is None else f"evidence_reviewed: {value}\n"
    text = GOOD_CHAPTER.replace("evidence_reviewed: 2026-01-15\n", line)
    problems = pages.check_page(tmp_path, _write(tmp_path, text))
    assert len(problems) == 1 and problems[0].path == "book/ch.md" and expected in problems[0].message


def test_a_chapter_cannot_exempt_itself(tmp_path: Path):
    text = GOOD_CHAPTER.replace("evidence_reviewed: 2026-01-15\n", "skeleton: generated\n")
    problems = pages.check_page(tmp_path, _write(tmp_path, text))
    assert any("evidence_reviewed" in p.message for p in problems)


def test_a_page_missing_from_the_toc_is_named(book_copy: Path):
    (book_copy / "book" / "stray.md").write_text("# Stray\n", encoding="utf-8")
    problems = [str(p) for p in pages.check_book(book_copy)]
    assert problems == ["book/stray.md: page is not listed in _toc.yml, so it would not be built; add it or remove it"]


def test_a_toc_entry_without_a_file_is_named(book_copy: Path):
    toc = book_copy / "_toc.yml"
    toc.write_text(toc.read_text().replace("- file: book/about", "- file: book/about\n      - file: book/ghost"))
    problems = [str(p) for p in pages.check_book(book_copy)]
    assert "book/ghost.md: listed in _toc.yml but the file does not exist" in problems


def test_the_chapter_template_passes_the_skeleton_check(root: Path, tmp_path: Path):
    template = (root / "book" / "_templates" / "chapter.md").read_text(encoding="utf-8")
    assert pages.check_page(tmp_path, _write(tmp_path, template)) == []


def test_a_notebook_page_needs_a_quoted_date(tmp_path: Path):
    text = GOOD_CHAPTER.replace("evidence_reviewed: 2026-01-15\n", "evidence_reviewed: 2026-01-15\nkernelspec:\n  name: python3\n")
    problems = pages.check_page(tmp_path, _write(tmp_path, text))
    assert len(problems) == 1 and "in quotes" in problems[0].message
    quoted = text.replace("evidence_reviewed: 2026-01-15", 'evidence_reviewed: "2026-01-15"')
    assert pages.check_page(tmp_path, _write(tmp_path, quoted)) == []
