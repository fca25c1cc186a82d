"""Project invariants: identity in one place, exact pins, the strict and private configuration (quick)."""
from __future__ import annotations

import re
from pathlib import Path

from mdmacourse import project


def test_citation_cff_is_generated_from_config(root: Path):
    expected = project.citation_cff(project.identity(root))
    assert (root / "CITATION.cff").read_text(encoding="utf-8") == expected, (
        "CITATION.cff is out of date with _config.yml: run python -m mdmacourse.project")


def test_every_requirement_is_pinned_exactly(root: Path):
    loose = [
        line for line in (root / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-e ")) and not re.match(r"^[A-Za-z0-9_.\-\[\]]+==[\w.]+$", line)
    ]
    assert not loose, f"requirements.txt: not pinned with ==: {loose}"


def test_config_is_strict_cached_and_private(root: Path):
    cfg = project.read_config(root)
    sphinx = cfg["sphinx"]["config"]
    assert cfg["only_build_toc_files"] is True
    assert ".*" in cfg["exclude_patterns"], "hidden folders (.venv) must be excluded"
    assert cfg["execute"]["execute_notebooks"] == "cache"
    assert sphinx["nb_execution_raise_on_error"] is True
    assert cfg["bibtex_bibfiles"] == ["book/references.bib"]
    assert sphinx["bibtex_reference_style"] == "author_year"
    extensions = sphinx["extensions"]
    for needed in ("sphinx_exercise", "sphinx_design", "sphinx_togglebutton", "sphinxcontrib.bibtex",
                   "mdmacourse.sphinxext", "sphinx-mathjax-offline"):
        assert needed in extensions
    for unwanted in ("sphinx_thebe", "sphinx.ext.intersphinx"):
        assert unwanted not in extensions
    analytics = cfg["html"]["analytics"]
    assert not any(analytics.values()), "no analytics or trackers"
    assert not any(cfg["html"]["comments"].values()), "no third-party comment widgets"
    assert cfg["launch_buttons"]["thebe"] is False
    assert sphinx["course_edition"] == "student", "the default (published) edition is the student edition"


def test_latex_covers_the_unicode_the_course_uses(root: Path):
    sphinx = project.read_config(root)["sphinx"]["config"]
    assert "FreeSerif" in sphinx["latex_elements"]["fontpkg"]
    assert "openany" in sphinx["latex_elements"]["extraclassoptions"]


def test_launch_requirements_are_a_pinned_subset_of_the_project_requirements(root: Path):
    def pins(path: Path) -> dict[str, str]:
        out = {}
        for line in path.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("==")
                out[name.strip().lower()] = version.strip()
        return out

    project, launch = pins(root / "requirements.txt"), pins(root / ".binder" / "requirements.txt")
    assert launch, ".binder/requirements.txt lists nothing"
    for name, version in launch.items():
        assert project.get(name) == version, f".binder/requirements.txt: {name}=={version} differs from requirements.txt"
    assert not {"pytest", "playwright", "linkchecker", "jupyter-book"} & set(launch), "no build or test tooling in the launch environment"
