"""The instructor guide covers every chapter: a complete lesson plan and at least five question-bank items of the
three kinds, each with its answer (quick: reads sources only)."""
from __future__ import annotations

import re
from pathlib import Path

from mdmacourse import pages

LESSON_SECTIONS = ("Objectives", "Timing", "Lecture outline", "In-class activity", "Discussion questions",
                   "Assessment", "Question bank")
KINDS = ("Multiple choice", "Short answer", "Data question")


def _chapter_labels(root: Path) -> list[str]:
    labels = []
    for page in pages.toc_pages(root, "student"):
        if page.role == "chapter":
            text = pages.source_path(root, page.docname).read_text(encoding="utf-8")
            labels.append(re.search(r"^\(([\w-]+)\)=\s*\n#\s", text, re.M).group(1))
    return labels


def _lesson_sections(root: Path) -> dict[str, tuple[str, str]]:
    """Each teach-<label> section of the guide: (file, text up to the next chapter section)."""
    found = {}
    for page in pages.toc_pages(root):
        if page.role != "instructor":
            continue
        text = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        parts = re.split(r"^\((teach-[\w-]+)\)=\s*\n(?=## )", text, flags=re.M)
        for label, body in zip(parts[1::2], parts[2::2]):
            found[label] = (page.docname, body)
    return found


def problems_in(label: str, where: str, body: str) -> list[str]:
    problems = []
    headings = re.findall(r"^### (.+?)\s*$", body, re.M)
    for section in LESSON_SECTIONS:
        if section not in headings:
            problems.append(f"{where}: {label}: no '### {section}'")
    bank = body.split("### Question bank", 1)[-1]
    items = re.findall(r"^`{3,}\{exercise\} (.+)\n:label: ([\w-]+)", bank, re.M)
    if len(items) < 5:
        problems.append(f"{where}: {label}: {len(items)} question-bank items (at least 5)")
    for kind in KINDS:
        if not any(title.startswith(kind) for title, _ in items):
            problems.append(f"{where}: {label}: no '{kind}' item")
    answered = set(re.findall(r"^`{3,}\{solution\} ([\w-]+)", body, re.M))
    for title, item in items:
        if item not in answered:
            problems.append(f"{where}: {label}: item {item} ({title}) has no answer")
    for title, item in items:
        if title.startswith("Multiple choice"):
            block = bank.split(f":label: {item}", 1)[1].split("````", 1)[0]
            options = re.findall(r"^- \*\*([A-E])\.\*\*", block, re.M)
            answer = bank.split(f"{{solution}} {item}", 1)[1].split("````", 1)[0]
            unexplained = [o for o in options if not re.search(rf"\b{o} is (right|wrong|correct|incorrect)\b", answer)]
            if len(options) < 3 or unexplained:
                problems.append(f"{where}: {label}: {item}: options {options}, no explanation for {unexplained}")
    return problems


def test_every_chapter_has_a_complete_lesson_plan_and_question_bank(root: Path):
    sections = _lesson_sections(root)
    problems = []
    for label in _chapter_labels(root):
        key = f"teach-{label}"
        if key not in sections:
            problems.append(f"book/instructor/: no lesson plan labelled ({key})= for chapter '{label}'")
            continue
        where, body = sections[key]
        problems += problems_in(key, where + ".md", body)
    assert not problems, "\n".join(problems)


def test_a_lesson_plan_without_a_question_bank_is_named():
    body = "## A chapter\n\n### Objectives\n\n### Timing\n\n### Assessment\n"
    problems = problems_in("teach-x", "book/instructor/p.md", body)
    assert "book/instructor/p.md: teach-x: no '### Lecture outline'" in problems
    assert "book/instructor/p.md: teach-x: 0 question-bank items (at least 5)" in problems
