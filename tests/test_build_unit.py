"""The build's guard against stale notebook outputs (quick; no build runs)."""
from __future__ import annotations

from pathlib import Path

from mdmacourse import build


def test_a_data_change_empties_the_execution_cache_and_forces_a_reread(root: Path, tmp_path: Path):
    book = build.copy_book(tmp_path, root)
    cache = book / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    # a cache of unknown provenance is emptied, and a variant never built is read in full
    assert build._refresh_if_inputs_changed(book, "student", "a4", "html") is True
    assert not cache.exists()
    cache.mkdir()
    (cache / "entry").write_text("cached output")
    build._stamp(book, "student", "a4", "html").write_text(build.page_inputs(book))
    assert build._refresh_if_inputs_changed(book, "student", "a4", "html") is False
    assert (cache / "entry").exists(), "an unchanged book must keep its cache"

    trials = book / "book" / "data" / "trials.csv"
    trials.write_text(trials.read_text() + "\n")
    assert build._refresh_if_inputs_changed(book, "student", "a4", "html") is True
    assert not cache.exists(), "changed data must empty the execution cache"


def test_the_fingerprint_covers_the_module_data_and_bibliography(root: Path):
    before = build.notebook_inputs(root)
    assert before == build.notebook_inputs(root)
    assert len(before) == 64


def test_a_stylesheet_change_forces_a_reread_but_keeps_the_cache(root: Path, tmp_path: Path):
    book = build.copy_book(tmp_path, root)
    build._refresh_if_inputs_changed(book, "student", "a4", "html")
    cache = book / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    build._stamp(book, "student", "a4", "html").write_text(build.page_inputs(book))
    css = book / "book" / "_static" / "course.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert build._refresh_if_inputs_changed(book, "student", "a4", "html") is True
    assert cache.exists(), "a stylesheet change must not empty the execution cache"
