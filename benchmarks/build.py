"""Time the book's builds (run by hand; not part of the tests).

    .venv/bin/python benchmarks/build.py [--repeat N] [--no-pdf]

Works on a temporary copy of the book, so the working tree is never touched. Each scenario runs
`--repeat` times and the table shows the median, the spread, and the ratio to the clean HTML build:

  clean HTML          rm -rf _build (notebook cache included), strict student HTML build
  no change           the same build again
  prose edit (.md)    one line of prose added to a Markdown chapter
  prose edit (nb)     one line of prose added to a notebook page (its code unchanged: the cache is used)
  PDF student         strict xelatex build of the student edition (notebook cache warm)
  PDF instructor      the same for the instructor edition

If the book has no notebook page yet, a small one (a matplotlib chart) is added to the copy, and the
report says so.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mdmacourse import build as course_build
from mdmacourse import pages
from mdmacourse.project import ROOT

SAMPLE_NOTEBOOK = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
skeleton: generated
evidence_reviewed: "2026-01-01"
---
# Benchmark notebook

Prose line.

```{code-cell} python
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2])
plt.close(fig)
```
"""


def _copy(target: Path) -> str | None:
    course_build.copy_book(target, ROOT)
    notebooks = [p for p in pages.toc_pages(target)
                 if "kernelspec" in (pages.source_path(target, p.docname).read_text(encoding="utf-8")[:600])]
    if notebooks:
        return notebooks[0].docname
    (target / "book" / "bench_notebook.md").write_text(SAMPLE_NOTEBOOK, encoding="utf-8")
    toc = target / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8").replace(
        "      - file: book/glossary", "      - file: book/bench_notebook\n      - file: book/glossary"), encoding="utf-8")
    return None


def _timed(root: Path, edition: str = "student", builder: str = "html") -> float:
    start = time.perf_counter()
    result = course_build.build(root, edition, builder, capture=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed ({edition} {builder}):\n{result.stdout[-3000:]}")
    return elapsed


def _append_line(path: Path, marker: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(marker, f"{marker}\n{line}\n", 1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        root = Path(tmp)
        notebook = _copy(root)
        notebook_doc = notebook or "book/bench_notebook"
        chapter = next(p.docname for p in pages.toc_pages(root) if p.role == "chapter")
        for run in range(args.repeat):
            shutil.rmtree(root / "_build", ignore_errors=True)
            results.setdefault("clean HTML", []).append(_timed(root))
            results.setdefault("no change", []).append(_timed(root))
            _append_line(pages.source_path(root, chapter), "## Key points\n", f"A benchmark sentence, run {run}.")
            results.setdefault("prose edit (.md)", []).append(_timed(root))
            nb_path = pages.source_path(root, notebook_doc)
            text = nb_path.read_text(encoding="utf-8")
            heading = next(line for line in text.splitlines() if line.startswith("# "))
            _append_line(nb_path, heading, f"\nA benchmark sentence, run {run}.")
            results.setdefault("prose edit (nb)", []).append(_timed(root))
            if not args.no_pdf:
                results.setdefault("PDF student", []).append(_timed(root, "student", "pdf"))
                results.setdefault("PDF instructor", []).append(_timed(root, "instructor", "pdf"))
    base = statistics.median(results["clean HTML"])
    print(f"\nBuild benchmark: {args.repeat} run(s) each, seconds (median, min-max), ratio to the clean HTML build")
    if notebook is None:
        print("(the book has no notebook page yet: a small sample notebook was added to the copy)")
    print(f"{'scenario':<20} {'median':>8} {'min-max':>14} {'ratio':>7}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:<20} {med:8.2f} {min(times):6.2f}-{max(times):<7.2f} {med / base:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
