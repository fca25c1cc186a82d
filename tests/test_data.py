"""The evidence data package: the real data validate, and each rule fires on a deliberately broken copy
with a message that names the table, the line, the field, the value and the rule (quick).

The broken copies start from a small fictional fixture (trial FIX-1, source fixture2000alpha) written against
the real schema in book/data/datapackage.json, so the tests do not depend on the real values."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from mdmacourse import data

BIB = """
@article{fixture2000alpha,
  author = {Fixture, Alpha}, title = {A fixture}, journal = {Tests}, year = {2000}, doi = {10.0000/fixture}
}
@article{fixture2001retracted,
  author = {Fixture, Beta}, title = {A retracted fixture}, journal = {Tests}, year = {2001}, doi = {10.0000/retracted},
  note = {RETRACTED in 2024}
}
@article{fixture2002nolink,
  author = {Fixture, Gamma}, title = {A fixture without a link}, journal = {Tests}, year = {2002}
}
"""
P = "fixture2000alpha,Table 1,primary,"
ROWS = {
    "trials": [f"FIX-1,NCT00000000,3,randomised,USA,adults,20,2,80 mg,placebo,CAPS-5,week 18,published,{P}"],
    "arms": [f"FIX-1,MDMA,mdma,80,40,10,{P}", f"FIX-1,placebo,inactive placebo,,,10,{P}"],
    "outcomes": [f"FIX-1,MDMA,CAPS-5,week 18,10,mean change,-20,-25,-15,10,,{P}",
                 f"FIX-1,placebo,CAPS-5,week 18,10,mean change,-10,-15,-5,10,,{P}"],
    "effects": [f"FIX-1,CAPS-5,week 18,MDMA,placebo,Cohen's d,1.0,0.1,1.9,0.04,=,{P}"],
    "responders": [f"FIX-1,MDMA,week 18,loss of diagnosis,6,10,,{P}"],
    "adverse_events": [f"FIX-1,MDMA,common TEAE,nausea,,3,10,,,{P}"],
    "protocol": [f"FIX-1,initial_dose,1,80 mg,80,80,mg,{P}"],
    "regulatory_events": [f"2001-02-03,USA,FDA,designation,a designation,,,{P}"],
    "legal_status": [f"USA,Schedule I,trials only,2001-02-03,{P}"],
    "comparators": [f"FIX-C1,sertraline,SSRI,placebo,CAPS,standardised mean difference,0.3,0.1,0.5,2,300,{P}"],
    "other_indications": [f"FIX-O1,depression,main diagnosis,a study,open-label,12,treated,,published,"
                          f"uncontrolled or pilot studies,,{P}"],
}


@pytest.fixture
def fixture_data(root: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "book" / "data"
    folder.mkdir(parents=True)
    shutil.copy(root / "book" / "data" / "datapackage.json", folder)
    package = data.schema(folder)
    for resource in package["resources"]:
        header = ",".join(field["name"] for field in resource["schema"]["fields"])
        (folder / resource["path"]).write_text(header + "\n" + "\n".join(ROWS[resource["name"]]) + "\n", encoding="utf-8")
    (tmp_path / "book" / "references.bib").write_text(BIB, encoding="utf-8")
    return folder


def _set(folder: Path, table: str, line: int, field: str, value: str) -> None:
    """Put `value` into one cell (line 2 is the first data row)."""
    path = folder / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    import csv
    import io

    row = next(csv.reader([lines[line - 1]]))
    row[header.index(field)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row)
    lines[line - 1] = buffer.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _only_error(folder: Path) -> data.DataError:
    errors = data.validate(folder)
    assert len(errors) == 1, "expected exactly one problem, got:\n" + "\n".join(map(str, errors))
    return errors[0]


def test_the_real_data_are_valid(root: Path):
    errors = data.validate(root / "book" / "data")
    assert not errors, "\n".join(map(str, errors))


def test_load_returns_typed_tables(root: Path):
    tables = data.load(root / "book" / "data")
    assert set(tables) >= {"trials", "arms", "outcomes", "effects", "responders", "adverse_events", "protocol",
                           "regulatory_events", "legal_status", "comparators", "other_indications"}
    assert str(tables["trials"]["n_randomized"].dtype) == "Int64"


def test_the_fixture_is_valid(fixture_data: Path):
    assert data.validate(fixture_data) == []


def test_load_raises_with_every_problem(fixture_data: Path):
    _set(fixture_data, "arms", 2, "n_randomized", "12")
    with pytest.raises(data.DataValidationError, match=r"arm-sum"):
        data.load(fixture_data)


@pytest.mark.parametrize(
    "table, line, field, value, rule",
    [
        ("trials", 2, "n_randomized", "twenty", "schema:type-error"),
        ("trials", 2, "status", "withdrawn", "schema:constraint-error"),
        ("trials", 2, "design", "", "schema:constraint-error"),
        ("outcomes", 2, "sd", "-1", "schema:constraint-error"),
        ("outcomes", 2, "trial_id", "GHOST", "schema:foreign-key"),
        ("protocol", 2, "session", "first", "schema:constraint-error"),
        ("regulatory_events", 2, "date", "2001-02-30", "schema:type-error"),
        ("protocol", 2, "source_key", "Not A Key", "schema:constraint-error"),
    ],
)
def test_schema_rules(fixture_data: Path, table, line, field, value, rule):
    _set(fixture_data, table, line, field, value)
    errors = data.validate(fixture_data)
    assert errors and all(e.table == table and e.rule == rule for e in errors), "\n".join(map(str, errors))
    message = str(errors[0])
    assert message.startswith(f"{table}.csv line {line}")
    if rule != "schema:foreign-key":  # frictionless reports a foreign key per row, not per field
        assert f"field '{field}'" in message and repr(value) in message


@pytest.mark.parametrize(
    "table, line, field, value, rule",
    [
        ("arms", 2, "n_randomized", "12", "arm-sum"),
        ("trials", 2, "arms", "3", "arm-count"),
        ("adverse_events", 2, "arm", "MDMA 200 mg", "arm-exists"),
        ("outcomes", 2, "ci_low", "-14", "ci-order"),
        ("outcomes", 2, "estimate", "-30", "estimate-in-ci"),
        ("responders", 2, "events", "11", "events-le-total"),
        ("adverse_events", 2, "total", "12", "n-le-randomised"),
        ("legal_status", 2, "as_of", (dt.date.today() + dt.timedelta(days=30)).isoformat(), "date-in-past"),
        ("comparators", 2, "source_key", "nobody1999ghost", "source-in-bibliography"),
        ("legal_status", 2, "source_key", "fixture2002nolink", "source-has-link"),
        ("protocol", 2, "source_key", "fixture2001retracted", "retracted-source-marked"),
        ("outcomes", 2, "estimate", "", "missing-has-reason"),
        ("effects", 2, "estimate", "0.5", "effect-recomputes"),
        ("comparators", 2, "source_quality", "not_read", "not-read-is-empty"),
    ],
)
def test_consistency_rules(fixture_data: Path, table, line, field, value, rule):
    if rule == "estimate-in-ci":
        _set(fixture_data, "effects", 2, "note", "recompute: fixture")  # keep the effect rule quiet
    _set(fixture_data, table, line, field, value)
    error = _only_error(fixture_data)
    reported_table = "trials" if rule == "arm-sum" else table
    assert error.rule == rule
    assert str(error).startswith(f"{reported_table}.csv line 2, field '"), str(error)
    assert f"[{rule}]" in str(error)


def test_an_explained_gap_and_a_marked_retraction_pass(fixture_data: Path):
    _set(fixture_data, "outcomes", 2, "estimate", "")
    _set(fixture_data, "outcomes", 2, "note", "missing NR: estimate")
    _set(fixture_data, "effects", 2, "note", "recompute: the change for MDMA is not published")
    _set(fixture_data, "protocol", 2, "source_key", "fixture2001retracted")
    _set(fixture_data, "protocol", 2, "note", "RS: reported only in the retracted pooled analysis")
    assert data.validate(fixture_data) == []


def test_cohens_d_recomputation():
    assert data.recompute_cohens_d(-20, 10, 10, -10, 10, 10) == pytest.approx(1.0)
    assert data.recompute_cohens_d(-10, 10, 10, -20, 10, 10) == pytest.approx(-1.0)


def test_the_dictionary_is_generated_from_the_schema(root: Path):
    from mdmacourse.dictionary import dictionary_markdown

    folder = root / "book" / "data"
    text = dictionary_markdown(folder)
    for resource in data.schema(folder)["resources"]:
        assert f"`{resource['path']}`" in text and f"<data/{resource['path']}>" in text
        for field in resource["schema"]["fields"]:
            assert f"`{field['name']}`" in text, f"{resource['name']}.{field['name']} missing from the dictionary"
            for value, definition in field.get("x_definitions", {}).items():
                assert definition in text
