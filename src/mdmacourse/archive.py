"""The evidence data package as one downloadable archive.

    python -m mdmacourse.archive      # write _build/data-archive/mdma-ptsd-course-data.zip

The archive holds ``data/`` (every CSV table and ``datapackage.json``), ``references.bib`` (the data's
``source`` fields are keys into it) and a ``README.txt``; unpacked, it validates with
``python -m mdmacourse.data`` pointed at its ``data/`` folder. It is byte-for-byte reproducible (fixed
timestamps and order), so an unchanged data set never makes Sphinx think the download changed. The book's
Sphinx extension writes it before reading the pages and the data page links it with ``{download}``.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .project import ROOT, read_config

NAME = "mdma-ptsd-course-data"
#: Where the archive is written, relative to the book's root (the data page's {download} link points here).
ARCHIVE = Path("_build") / "data-archive" / f"{NAME}.zip"

README = """{title}
Evidence data package, version of {date}

data/              one CSV file per table, and datapackage.json: the schema (Frictionless Data Package)
references.bib     the bibliography; every row's `source` field is a key in it, and `locator` says where in
                   that source the value stands (table, figure, page)

Licence: {licence} (text and data), as the course book. Cite the course as its CITATION.cff says.
Validate an unpacked copy with the course's module:  python -m mdmacourse.data --folder data
The data dictionary and the collection rules are in the book's page "The evidence data".
"""


def _files(root: Path) -> list[tuple[str, bytes]]:
    folder = root / "book" / "data"
    entries = [(f"data/{path.name}", path.read_bytes())
               for path in sorted(folder.iterdir()) if path.is_file() and not path.name.startswith(".")]
    entries.append(("references.bib", (root / "book" / "references.bib").read_bytes()))
    return entries


def archive_bytes(root: Path = ROOT) -> bytes:
    config = read_config(root)
    licence = config.get("sphinx", {}).get("config", {}).get("course_license_content", "CC-BY-4.0")
    from . import pages

    # the date is the data page's review date, not a file time (file times differ between clones)

    meta = pages.front_matter((root / "book" / "data.md").read_text(encoding="utf-8"))
    date = str(meta.get(pages.REVIEW_KEY, "unknown"))
    readme = README.format(title=config.get("title", "Course"), date=date, licence=licence)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in [("README.txt", readme.encode("utf-8")), *_files(root)]:
            info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def write_archive(root: Path = ROOT) -> Path:
    """Write the archive if its content changed; return its path."""
    target = root / ARCHIVE
    content = archive_bytes(root)
    if not target.is_file() or target.read_bytes() != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return target


if __name__ == "__main__":
    print(write_archive())
