"""The glossary: every term it defines is linked from some page, and every term a page links is defined
(quick; the build also fails on an unknown term)."""
from __future__ import annotations

import re
from pathlib import Path

from mdmacourse import pages

TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def glossary_terms(root: Path) -> list[str]:
    text = (root / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith((" ", "\t"))]


def linked_terms(root: Path) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for page in pages.toc_pages(root):
        path = pages.source_path(root, page.docname)
        for role in TERM_ROLE.findall(path.read_text(encoding="utf-8")):
            target = re.search(r"<([^>]+)>\s*$", role)
            term = (target.group(1) if target else role).strip()
            links.setdefault(term.lower(), []).append(page.docname)
    return links


def test_every_glossary_term_is_linked_from_a_page(root: Path):
    links = linked_terms(root)
    unused = [t for t in glossary_terms(root) if t.lower() not in links]
    assert not unused, f"glossary terms that no page links with {{term}}: {unused}"


def test_every_linked_term_is_defined(root: Path):
    defined = {t.lower() for t in glossary_terms(root)}
    undefined = {t: p for t, p in linked_terms(root).items() if t not in defined}
    assert not undefined, f"terms linked but not in the glossary: {undefined}"
