"""Student and instructor editions, in HTML and PDF: the student outputs hold no answer anywhere."""
from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
from pathlib import Path

import pytest

from mdmacourse import build as course_build
from mdmacourse import pages
from mdmacourse.editions import instructor_only_phrases

pytestmark = pytest.mark.slow

TEXT_SUFFIXES = {".html", ".js", ".md", ".txt", ".ipynb", ".json", ".py", ".tex"}


def _squash(text: str) -> str:
    """Letters and digits only, lower-case: immune to markup, line breaks and hyphenation."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _answers(root: Path) -> list[str]:
    """Every instructor-only phrase: solutions anywhere, and the instructor guide's own text."""
    return [phrase for _, phrase in instructor_only_phrases(root)]


def _html_corpus(html: Path) -> dict[str, str]:
    corpus = {}
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "mathjax" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":
                text = " ".join("".join(c.get("source", "")) for c in json.loads(text).get("cells", []))
            text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
            corpus[str(path.relative_to(html))] = _squash(text)
    return corpus


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _pdf_body(pdf: Path) -> str:
    """The PDF's text without running heads and page footers (each page is cropped to the text block, A4 or
    letter), so that a phrase split by a page break, or ending a page, still matches."""
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)",
                     subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout)
    width, height = (float(size.group(1)), float(size.group(2)))
    # the running head ends about 75 pt from the top and the footer starts about 50 pt above the bottom edge
    top, bottom = 78, height - 56
    return subprocess.run(["pdftotext", "-x", "0", "-y", str(top), "-W", str(int(width) + 1), "-H", str(int(bottom - top)),
                           str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_there_are_answers_to_hide(root: Path):
    assert _answers(root), "no solution in the book: the edition tests would prove nothing"


def test_student_html_holds_no_answer_and_instructor_html_holds_every_answer(
        root: Path, student_html: Path, instructor_html: Path):
    student, instructor = _html_corpus(student_html), _html_corpus(instructor_html)
    assert any(name.startswith("_sources/") for name in student), "page sources should be offered for download"
    assert "searchindex.js" in student
    for phrase in _answers(root):
        key = _squash(phrase)
        leaks = [name for name, text in student.items() if key in text]
        assert not leaks, f"answer {phrase!r} leaks into the student edition: {leaks}"
        assert any(key in text for text in instructor.values()), f"answer {phrase!r} missing from the instructor edition"


def test_student_pdf_holds_no_answer_and_instructor_pdf_holds_every_answer(
        root: Path, student_pdf: Path, instructor_pdf: Path):
    student, instructor = _squash(_pdf_body(student_pdf)), _squash(_pdf_body(instructor_pdf))
    for phrase in _answers(root):
        assert _squash(phrase) not in student, f"answer {phrase!r} leaks into the student PDF"
    # the PDF's text runs the cells of a table row together, so table phrases are sought in the HTML only
    for _, phrase in instructor_only_phrases(root, tables=False):
        assert _squash(phrase) in instructor, f"answer {phrase!r} missing from the instructor PDF"


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_pdf_has_title_page_contents_and_chapters(root: Path, edition: str, request):
    pdf = request.getfixturevalue(f"{edition}_pdf")
    text = _pdf_text(pdf)
    first_page = text.split("\f")[0]
    assert "MDMA-assisted therapy for PTSD" in first_page
    assert f"{edition.capitalize()} edition" in first_page
    assert "The course contributors" in first_page
    assert "CONTENTS" in text.upper()
    for page in pages.toc_pages(root):
        if page.role != "chapter":
            continue
        source = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        h1 = next(title for _, level, title in pages.headings(source) if level == 1)
        assert text.upper().count(h1.upper()) >= 2, f"chapter {h1!r} should be in the contents and as a heading"
    assert "??" not in text, "unresolved cross-reference in the PDF"


def test_the_instructor_guide_is_only_in_the_instructor_edition(root: Path, student_html: Path, instructor_html: Path):
    guide = [page for page in pages.toc_pages(root) if page.role == "instructor"]
    assert guide, "_toc.yml has no instructor guide"
    index = (student_html / "searchindex.js").read_text(encoding="utf-8")
    for page in guide:
        assert not (student_html / f"{page.docname}.html").exists(), f"{page.docname} is in the student edition"
        assert page.docname not in index, f"{page.docname} is in the student edition's search index"
        assert (instructor_html / f"{page.docname}.html").is_file(), f"{page.docname} missing from the instructor edition"
    leaks = [str(path.relative_to(student_html)) for path in student_html.rglob("*.html")
             if pages.INSTRUCTOR_DIR in path.read_text(encoding="utf-8")]
    assert not leaks, f"student pages link to the instructor guide: {leaks}"


def test_html_titles_name_the_edition(student_html: Path, instructor_html: Path):
    assert "(Student edition)" in (student_html / "book" / "about.html").read_text(encoding="utf-8")
    assert "(Instructor edition)" in (instructor_html / "book" / "about.html").read_text(encoding="utf-8")


def _latex_log(pdf_root: Path) -> str:
    return (pdf_root / "_build" / "latex" / "book.log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_pdf_has_no_missing_glyph_and_no_blank_page(root: Path, edition: str, request):
    pdf = request.getfixturevalue(f"{edition}_pdf")
    log = _latex_log(course_build.edition_root(root, edition))
    assert "Missing character" not in log, "a character has no glyph in the PDF fonts"
    assert "Overfull \\hbox" not in log, "a line runs past the margin (see book.log)"
    # a box that splits across pages may end a point or two low (invisible); more is content off the page
    tall = [float(x) for x in re.findall(r"Overfull \\vbox \(([\d.]+)pt too high\)", log)]
    assert all(x <= 3.0 for x in tall), (
        f"something runs off the bottom of a page by {max(tall)}pt, e.g. a long table that is not a longtable or a "
        "wide printed output in a solution (see book.log)")
    for number, page in enumerate(_pdf_text(pdf).split("\f")[:-1], start=1):
        assert page.strip(), f"{pdf.name}: page {number} is blank"


def test_pdf_fonts_cover_the_course_unicode_on_letter_paper(book_copy: Path):
    sample = "Symbols used in the course: − ≥ ≤ ± é ü."
    glossary = book_copy / "book" / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Each technical term", sample + "\n\nEach technical term"), encoding="utf-8")
    result = course_build.build(book_copy, "student", "pdf", capture=True, paper="letter")
    assert result.returncode == 0, result.stdout[-3000:]
    pdf = course_build.pdf_path(book_copy, "student", "letter")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info
    text = _pdf_text(pdf)
    for char in "−≥≤±éü":
        assert char in text, f"{char!r} did not reach the PDF"
    assert "Missing character" not in _latex_log(course_build.edition_root(book_copy, "student", "letter"))
