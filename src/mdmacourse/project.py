"""The project's identity and layout.

`_config.yml` is the one place that holds the title, authors, repository URL and licences.
This module reads it, and writes `CITATION.cff` from it:

    python -m mdmacourse.project          # rewrite CITATION.cff
    python -m mdmacourse.project --check  # exit 1 if CITATION.cff is out of date
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The repository root when the package is installed editable from `src/`.
ROOT = Path(__file__).resolve().parents[2]


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds `_config.yml` (default: the repository)."""
    if start is None:
        return ROOT
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / "_config.yml").is_file():
            return folder
    raise FileNotFoundError(f"no _config.yml at or above {start}")


def read_config(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Identity:
    title: str
    author: str
    repository: str
    license_content: str
    license_code: str
    version: str


def identity(root: Path = ROOT) -> Identity:
    cfg = read_config(root)
    sphinx_cfg = (cfg.get("sphinx") or {}).get("config") or {}
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    version = next(
        line.split("=", 1)[1].strip().strip('"')
        for line in pyproject.splitlines()
        if line.startswith("version")
    )
    return Identity(
        title=cfg["title"],
        author=cfg["author"],
        repository=cfg["repository"]["url"],
        license_content=sphinx_cfg["course_license_content"],
        license_code=sphinx_cfg["course_license_code"],
        version=version,
    )


def citation_cff(ident: Identity) -> str:
    """The text of CITATION.cff for this identity (Citation File Format 1.2.0)."""
    doc = {
        "cff-version": "1.2.0",
        "message": "If you use this course, please cite it as below.",
        "type": "software",
        "title": ident.title,
        "authors": [{"name": ident.author}],
        "version": ident.version,
        "repository-code": ident.repository,
        "license": [ident.license_content, ident.license_code],
        "keywords": ["MDMA-assisted therapy", "PTSD", "course", "evidence synthesis", "Jupyter Book"],
    }
    header = "# Generated from _config.yml by `python -m mdmacourse.project`; do not edit by hand.\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that CITATION.cff is current")
    args = parser.parse_args(argv)
    path = ROOT / "CITATION.cff"
    expected = citation_cff(identity())
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != expected:
            print(f"{path}: out of date with _config.yml; run python -m mdmacourse.project", file=sys.stderr)
            return 1
        return 0
    path.write_text(expected, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
