"""Student and instructor editions from one set of sources.

The student edition is built from sources with every instructor-only block removed *before Sphinx
parses them*, so no answer can reach any output: not the HTML, the search index, the page sources
offered for download, the executed notebooks, nor the PDF. Instructor-only blocks are:

* ``{solution}`` directives (sphinx-exercise), with their whole body;
* gated solutions, from ``{solution-start}`` to the end of the matching ``{solution-end}``;
* ``{only}`` directives whose expression names ``instructor``.

The instructor edition is built from the unchanged sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EDITIONS = ("student", "instructor")

_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")


@dataclass(frozen=True)
class Block:
    kind: str  # "solution", "gated-solution" or "only"
    start: int  # first line (0-based)
    end: int  # last line (0-based, inclusive)
    body: str  # the text between the directive's options and its closing fence(s)


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes the fence opened at `start` (CommonMark rules)."""
    char, size = fence[0], len(fence)
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= size:
            return index
    raise ValueError(f"line {start + 1}: the {fence}{{…}} fence is never closed")


def _body(lines: list[str]) -> str:
    return "\n".join(line for line in lines if not re.match(r"^\s*:[\w-]+:", line)).strip()


def instructor_blocks(text: str) -> list[Block]:
    """Every instructor-only block in a MyST Markdown text."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if not match:
            index += 1
            continue
        name, fence = match.group("name"), match.group("fence")
        end = _closing(lines, index, fence)
        if name == "solution":
            blocks.append(Block("solution", index, end, _body(lines[index + 1 : end])))
            index = end + 1
        elif name == "solution-start":
            finish = None
            for probe in range(end + 1, len(lines)):
                other = _OPEN.match(lines[probe])
                if other and other.group("name") == "solution-end":
                    finish = _closing(lines, probe, other.group("fence"))
                    blocks.append(Block("gated-solution", index, finish, _body(lines[end + 1 : probe])))
                    break
            if finish is None:
                raise ValueError(f"line {index + 1}: {{solution-start}} without a matching {{solution-end}}")
            index = finish + 1
        elif name == "only" and re.search(r"\binstructor\b", match.group("arg")):
            blocks.append(Block("only", index, end, _body(lines[index + 1 : end])))
            index = end + 1
        else:
            index += 1
    return blocks


def strip_for(edition: str, text: str) -> str:
    """The text as the given edition sees it."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; choose one of {', '.join(EDITIONS)}")
    if edition == "instructor":
        return text
    blocks = instructor_blocks(text)
    if not blocks:
        return text
    lines = text.splitlines(keepends=True)
    drop = set()
    for block in blocks:
        drop.update(range(block.start, block.end + 1))
    return "".join(line for number, line in enumerate(lines) if number not in drop)


def _phrases(lines: list[str], min_length: int) -> list[str]:
    """Distinctive plain-text phrases of Markdown lines: roles, inline code and parentheses end a phrase (they
    render differently from their source), as do sentence punctuation and table cell borders."""
    phrases = []
    for line in lines:
        plain = re.sub(r"\{[\w:-]+\}`[^`]*`", ".", line)
        plain = re.sub(r"`[^`]*`", ".", plain)
        plain = re.sub(r"\(.*?\)", ".", plain)
        plain = re.sub(r"\$[^$]*\$", ".", plain)
        plain = re.sub(r"[*_>#\[\]]", "", plain)
        plain = re.sub(r"\s+", " ", plain).strip(" -:")
        for piece in re.split(r"[.;:!?|]", plain):
            piece = piece.strip()
            if len(piece) >= min_length:
                phrases.append(piece)
    return phrases


def answer_phrases(text: str, min_length: int = 25) -> list[str]:
    """Distinctive plain-text phrases from every instructor-only block, for leak searches."""
    phrases = []
    for block in instructor_blocks(text):
        phrases += _phrases(block.body.splitlines(), min_length)
    return phrases


def prose_lines(text: str, tables: bool = True) -> list[str]:
    """A page's prose lines: no front matter, no code (code cells and plain code fences), no directive options
    or label lines. Directive bodies (exercises, solutions, admonitions) count as prose; so do table cells,
    unless ``tables`` is false."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1:]
    kept, stack = [], []  # open fences: (marker, kind), kind "code", "table" or "other"
    for line in lines:
        stripped = line.strip()
        fence = re.match(r"^(`{3,}|~{3,}|:{3,})(.*)$", stripped)
        if fence and stack and fence.group(1)[0] == stack[-1][0][0] and len(fence.group(1)) >= len(stack[-1][0]) \
                and not fence.group(2).strip():
            stack.pop()
            continue
        if stack and stack[-1][1] == "code":
            continue
        if fence:
            info = fence.group(2).strip()
            kind = ("code" if not info.startswith("{") or info.startswith("{code-cell}")
                    else "table" if re.match(r"^\{(list-table|table|csv-table)\}", info) else "other")
            stack.append((fence.group(1), kind))
            continue
        if not tables and (stripped.startswith("|") or any(kind == "table" for _, kind in stack)):
            continue
        if re.match(r"^:[\w-]+:", stripped) or re.match(r"^\(.*\)=$", stripped):
            continue
        kept.append(line)
    return kept


def page_phrases(text: str, min_length: int = 40, tables: bool = True) -> list[str]:
    """Distinctive plain-text phrases of a whole page's prose (for pages that only one edition contains)."""
    return _phrases(prose_lines(text, tables), min_length)


def instructor_only_phrases(root, tables: bool = True) -> list[tuple[str, str]]:
    """(docname, phrase) for every piece of text the student edition must not contain: the phrases of every
    instructor-only block in any page, and every phrase of the instructor guide's pages that no student page
    also says (a lesson plan may quote a chapter's objective; that is not instructor-only text). Without
    ``tables``, phrases from table cells are left out (a PDF's text interleaves the cells of a row)."""
    from . import pages

    def squash(value: str) -> str:
        return re.sub(r"[^0-9a-z]", "", value.lower())

    student_text = "".join(
        squash(strip_for("student", pages.source_path(root, page.docname).read_text(encoding="utf-8")))
        for page in pages.toc_pages(root, "student"))
    found = []
    for page in pages.toc_pages(root):
        text = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        found += [(page.docname, phrase) for phrase in answer_phrases(text)]
        if page.role == "instructor":
            found += [(page.docname, phrase) for phrase in page_phrases(text, tables=tables)
                      if squash(phrase) not in student_text]
    return found
