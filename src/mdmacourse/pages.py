"""The book's pages: what the table of contents lists, and the chapter skeleton every chapter follows.

The same checks run in two places: inside the Sphinx build (``mdmacourse.sphinxext``, where a problem
is a warning and ``-W`` makes it fatal) and in the quick tests. Each problem names the file.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: Sections every chapter has, as level-2 headings, in this order.
REQUIRED_SECTIONS = ("Learning objectives", "Key points", "Exercises", "References")
#: Front-matter key holding the date the page's evidence was last reviewed.
REVIEW_KEY = "evidence_reviewed"
#: Page sources the book may contain.
SOURCE_SUFFIXES = (".md", ".ipynb")
#: The instructor guide's folder: its pages make one part of the table of contents, built only in the
#: instructor edition.
INSTRUCTOR_DIR = "book/instructor"
#: Folders under book/ that hold no pages (templates, static files, data).
NON_PAGE_DIRS = ("_static", "_latex", "_templates", "data")

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")


@dataclass(frozen=True)
class Page:
    docname: str  # path without suffix, relative to the root, e.g. "book/about"
    role: str  # "landing", "chapter", "back" or "instructor" (the instructor guide: instructor edition only)
    part: str | None = None


@dataclass
class Problem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def is_instructor_page(docname: str) -> bool:
    return docname.startswith(INSTRUCTOR_DIR + "/")


def toc_pages(root: Path, edition: str = "instructor") -> list[Page]:
    """Every page listed in `_toc.yml` that the edition contains (the instructor edition has them all), in
    reading order, with its role."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [Page(_strip_suffix(toc["root"]), "landing")]

    def walk(entries, role, part):
        for entry in entries or []:
            if "file" in entry:
                pages.append(Page(_strip_suffix(entry["file"]), role, part))
            for sub in entry.get("sections", []) or []:
                walk([sub], role, part)

    for part in toc.get("parts", []) or []:
        role = "chapter" if part.get("numbered") else "back"
        walk(part.get("chapters"), role, part.get("caption"))
    walk(toc.get("chapters"), "chapter", None)
    pages = [Page(p.docname, "instructor", p.part) if is_instructor_page(p.docname) else p for p in pages]
    if edition == "student":
        pages = [p for p in pages if p.role != "instructor"]
    return pages


def instructor_part_problems(root: Path) -> list[Problem]:
    """The instructor guide must be one unnumbered part of `_toc.yml` holding exactly the pages under
    book/instructor/, so that the student edition can drop it whole."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    problems = []
    for part in toc.get("parts", []) or []:
        files = [_strip_suffix(entry["file"]) for entry in part.get("chapters") or [] if "file" in entry]
        inside = [f for f in files if is_instructor_page(f)]
        if inside and len(inside) != len(files):
            problems.append(Problem("_toc.yml", f"part {part.get('caption')!r} mixes instructor-guide pages "
                                                f"({INSTRUCTOR_DIR}/) with other pages; keep the guide in a part of its own"))
        if inside and part.get("numbered"):
            problems.append(Problem("_toc.yml", f"part {part.get('caption')!r}: the instructor guide is not numbered"))
        for entry in part.get("chapters") or []:
            if entry.get("sections"):
                problems.append(Problem("_toc.yml", f"{entry.get('file')}: nest no sections in the instructor guide"))
    return problems


def _strip_suffix(name: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def source_path(root: Path, docname: str) -> Path | None:
    for suffix in SOURCE_SUFFIXES:
        path = root / f"{docname}{suffix}"
        if path.is_file():
            return path
    return None


def front_matter(text: str) -> dict:
    """The YAML front matter of a MyST page (an empty dict if there is none)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end == -1:
        return {}
    data = yaml.safe_load(text[3:end]) or {}
    return data if isinstance(data, dict) else {}


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line number, level, title) of every Markdown heading outside code and directive fences."""
    found = []
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE_RE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker):]:
                fence = None
            continue
        if fence is None:
            heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if heading:
                found.append((number, len(heading.group(1)), heading.group(2)))
    return found


def review_date(meta: dict) -> tuple[dt.date | None, str | None]:
    """The parsed review date from front matter, or (None, reason)."""
    value = meta.get(REVIEW_KEY)
    if value is None:
        return None, f"front matter has no '{REVIEW_KEY}: YYYY-MM-DD'"
    if isinstance(value, dt.date):
        date = value
    else:
        text = str(value)
        if not DATE_RE.match(text):
            return None, f"'{REVIEW_KEY}' must be a date written YYYY-MM-DD, not {text!r}"
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            return None, f"'{REVIEW_KEY}' is not a real date: {text!r}"
    if date > dt.date.today():
        return None, f"'{REVIEW_KEY}' {date.isoformat()} lies in the future"
    return date, None


def check_page(root: Path, page: Page) -> list[Problem]:
    """Problems with one page's skeleton (an empty list when it is fine)."""
    path = source_path(root, page.docname)
    if path is None:
        return [Problem(f"{page.docname}.md", "listed in _toc.yml but the file does not exist")]
    rel = str(path.relative_to(root))
    if path.suffix == ".ipynb":
        import jupytext

        text = jupytext.writes(jupytext.read(path), fmt="md:myst")
    else:
        text = path.read_text(encoding="utf-8")
    meta = front_matter(text)
    problems = []
    exempt = page.role == "back" and meta.get("skeleton") == "generated"
    if not exempt:
        _, reason = review_date(meta)
        if reason:
            problems.append(Problem(rel, reason, 1))
        elif "kernelspec" in meta and isinstance(meta.get(REVIEW_KEY), dt.date):
            problems.append(Problem(rel, f"in a notebook page write {REVIEW_KEY}: \"YYYY-MM-DD\" in quotes "
                                         "(myst-nb cannot store an unquoted YAML date in the notebook)", 1))
    if page.role != "chapter":
        return problems
    titles = [(line, level, title) for line, level, title in headings(text)]
    h1 = [t for t in titles if t[1] == 1]
    if len(h1) != 1:
        problems.append(Problem(rel, f"a chapter has exactly one level-1 heading (found {len(h1)})"))
    h2 = [(line, title) for line, level, title in titles if level == 2]
    h2_titles = [title for _, title in h2]
    positions = []
    for section in REQUIRED_SECTIONS:
        if section not in h2_titles:
            problems.append(Problem(rel, f"chapter skeleton: missing section '## {section}'"))
        else:
            positions.append(h2_titles.index(section))
    if len(positions) == len(REQUIRED_SECTIONS):
        if positions[0] != 0:
            problems.append(Problem(rel, "chapter skeleton: '## Learning objectives' must be the first section",
                                    h2[positions[0]][0]))
        if positions[1:] != sorted(positions[1:]) or positions[-1] != len(h2_titles) - 1:
            problems.append(Problem(
                rel, "chapter skeleton: 'Key points', 'Exercises' and 'References' close the chapter, in that order"))
    return problems


def untracked_pages(root: Path) -> list[Problem]:
    """Page sources under book/ that `_toc.yml` does not list (they would silently not be built)."""
    listed = {page.docname for page in toc_pages(root)}
    problems = []
    for path in sorted((root / "book").rglob("*")):
        rel = path.relative_to(root)
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        if len(rel.parts) > 1 and rel.parts[1] in NON_PAGE_DIRS:
            continue
        if str(rel.with_suffix("")) not in listed:
            problems.append(Problem(str(rel), "page is not listed in _toc.yml, so it would not be built; add it or remove it"))
    return problems


def check_book(root: Path) -> list[Problem]:
    """Every skeleton and table-of-contents problem in the book."""
    problems = untracked_pages(root) + instructor_part_problems(root)
    for page in toc_pages(root):
        problems.extend(check_page(root, page))
    return problems
