"""The data package as one download: complete, reproducible, valid once unpacked, linked from the data page."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from mdmacourse import archive, data


def _unpack(content: bytes, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        bundle.extractall(target)
    return target / archive.NAME


def test_the_archive_holds_every_data_file_the_bibliography_and_a_readme(root: Path):
    with zipfile.ZipFile(io.BytesIO(archive.archive_bytes(root))) as bundle:
        names = set(bundle.namelist())
        expected = {f"{archive.NAME}/data/{p.name}" for p in (root / "book" / "data").iterdir() if p.is_file()}
        expected |= {f"{archive.NAME}/references.bib", f"{archive.NAME}/README.txt"}
        assert names == expected
        for path in (root / "book" / "data").iterdir():
            assert bundle.read(f"{archive.NAME}/data/{path.name}") == path.read_bytes(), f"{path.name} differs"
        readme = bundle.read(f"{archive.NAME}/README.txt").decode()
        assert "CC-BY-4.0" in readme and "datapackage.json" in readme


def test_the_archive_is_reproducible_and_unpacks_to_a_valid_data_package(root: Path, tmp_path: Path):
    content = archive.archive_bytes(root)
    assert content == archive.archive_bytes(root), "two writes of the same data differ"
    unpacked = _unpack(content, tmp_path)
    assert data.validate(unpacked / "data") == []
    assert data.main(["--folder", str(unpacked / "data")]) == 0


def test_a_broken_unpacked_copy_is_reported(root: Path, tmp_path: Path, capsys):
    unpacked = _unpack(archive.archive_bytes(root), tmp_path)
    trials = unpacked / "data" / "trials.csv"
    lines = trials.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # blank the first row's key
    trials.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert data.main(["--folder", str(unpacked / "data")]) == 1
    assert "trials" in capsys.readouterr().out


@pytest.mark.slow
def test_the_data_page_links_the_archive(root: Path, student_html: Path):
    page = (student_html / "book" / "data.html").read_text(encoding="utf-8")
    link = re.search(r'href="\.\./(_downloads/[^"]+/mdma-ptsd-course-data\.zip)"', page)
    assert link, "the data page has no link to the data archive"
    assert (student_html / link.group(1)).read_bytes() == archive.archive_bytes(root)
