"""No trial statistic typed by hand: numbers in chapter prose come through {glue}, citations or a short
reviewed allow-list (quick; reads sources only).

In the evidence part every number in the prose is checked. In the other chapters, which teach measurement,
pharmacology, protocol and law with cited facts that are not trial results, a line (one sentence per line) is
checked when it names one of the course's trials: there, a typed number would be a trial statistic."""
from __future__ import annotations

import re
from pathlib import Path

from mdmacourse import pages

#: Reviewed allow-list: patterns of numbers that are not trial statistics.
ALLOWED = [
    r"(?i)\b(her|his) (baseline )?CAPS-5( total)?( severity)?( score)?( of)? \d+\b",  # a fictional case's score
    r"\b(19|20)\d0s\b",                                   # decades
    r"\b(19|20)\d\d\b",                                   # years
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b",  # dates
    r"\bCAPS-(5|IV)\b", r"\bDSM-(5|IV)\b", r"\bPCL-5\b", r"\bBDI-II\b", r"\bC-SSRS\b",  # scale names
    r"(?i)\bphase[ -][23]\b",                             # trial phases
    r"\b95% (CI|confidence interval|prediction interval)", r"\b95% CIs\b",  # the conventional interval level
    r"\bMP-\d+\b", r"\bMAPP[12]\b",                       # trial identifiers
    r"\b[A-Z]{2,}-?\d+\b", r"\bNCT\d{8}\b",                # other study, scale and registry identifiers (MED1, EAT-26)
    r"\bCYP\d[A-Z]\d+\b", r"\b5-HT\d[A-Z]?\b",              # enzyme and receptor names
    r"\b(Schedule|Class|List|Annex) [1-9IVX]+\b",            # legal schedules
    r"\b\d+(\.\d+)?((,? or |, | and | to |–|-)\d+(\.\d+)?)* ?(mg|mg/kg)\b",  # doses, as each trial reported them (cited)
    r"\b\d+(\.\d+)?((,? or | to |–|-)\d+(\.\d+)?)*[ -](hours?|h|minutes?|weeks?|months?|days?)\b",  # protocol timings
    r"\b\d+-item\b", r"\b0 to \d+\b",                       # scale sizes and ranges
    r"\b1\.4\b",                                          # myst-nb version named in prose
    r"^\|\s*\d+–\d+\s*\|",                                # a lesson plan's timing row (minutes of the session)
    r"\babout \d[\d,]* words\b",                           # the length of an assignment
]
INLINE = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`|\]\([^)]*\)|https?://\S+|\([a-z-]+\)=")


def prose_lines(text: str):
    """(line number, text) of Markdown prose: outside code cells and directive option lines."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = re.match(r"^(`{3,}|:{3,})(.*)$", stripped)
        if match:
            marker, rest = match.group(1), match.group(2)
            if fence is None:
                fence = (marker, rest.startswith("{code-cell}"))
            elif marker[0] == fence[0][0] and len(marker) >= len(fence[0]) and not rest:
                fence = None
            continue
        if fence is not None and fence[1]:
            continue  # inside a code cell
        if stripped.startswith(":") and re.match(r"^:[\w-]+:", stripped):
            continue  # directive option
        if number <= 12 and re.match(r"^[\w-]+:|^---$", stripped):
            continue  # front matter
        yield number, line


def stray_numbers(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in prose_lines(text):
        plain = INLINE.sub(" ", line)
        plain = re.sub(r"^\s*(\d+\.|[-*])\s", " ", plain)  # list markers
        for pattern in ALLOWED:
            plain = re.sub(pattern, " ", plain)
        for token in re.findall(r"\d+(?:[.,]\d+)?%?", plain):
            found.append((number, token))
    return found


#: A line that names one of the course's trials (identifiers from the trials table, or the trial phases).
TRIAL_LINE = re.compile(r"\bMAPP[12]\b|\bMP-\d+\b|\bphase[ -][23] trials?\b", re.I)
#: The part whose every prose number is checked.
STRICT_PREFIX = "book/evidence/"


def trial_numbers(text: str) -> list[tuple[int, str]]:
    """stray_numbers, limited to the lines that name a trial."""
    lines = text.splitlines()
    return [(n, token) for n, token in stray_numbers(text) if TRIAL_LINE.search(lines[n - 1])]


def test_chapter_prose_has_no_hand_typed_numbers(root: Path):
    """Chapters, and the instructor guide (lesson plans and question bank) by the same rules."""
    problems = []
    for page in pages.toc_pages(root):
        if page.role not in ("chapter", "instructor"):
            continue
        path = pages.source_path(root, page.docname)
        scan = stray_numbers if page.docname.startswith(STRICT_PREFIX) else trial_numbers
        for line, token in scan(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(root)}:{line}: number {token!r} outside glue, citation or allow-list")
    assert not problems, "\n".join(problems)


def test_the_scanner_catches_a_typed_statistic():
    text = "---\nevidence_reviewed: \"2026-01-01\"\n---\n# T\n\nThe MDMA arm fell by 24.4 points (d = 0.91) in 2021.\n"
    assert [token for _, token in stray_numbers(text)] == ["24.4", "0.91"]


def test_the_scanner_ignores_glue_citations_code_and_allowed_numbers():
    text = ("# T\n\nIn {glue:text}`k` trials {cite:p}`mitchell2021mdma` on CAPS-5 in phase 3, from 1 July 2023.\n"
            "```{code-cell} python\nx = 42\n```\n")
    assert stray_numbers(text) == []


def test_outside_the_evidence_part_only_lines_naming_a_trial_are_checked():
    text = "# T\n\nThe CAPS-5 total runs from 0 to 80 {cite:p}`x`.\nIn MAPP1, 67% of the MDMA arm lost the diagnosis.\n"
    assert trial_numbers(text) == [(4, "67%")]
