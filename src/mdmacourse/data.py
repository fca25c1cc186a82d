"""The evidence data: load `book/data/` and validate it.

    from mdmacourse import data
    tables = data.load()            # dict of validated pandas DataFrames, one per table
    problems = data.validate()      # list of DataError (empty when the data are sound)
    python -m mdmacourse.data       # print every problem; exit 1 if there is any
    python -m mdmacourse.data --folder unpacked/data   # the same for another copy (e.g. the download)

The schema lives in `book/data/datapackage.json` (Frictionless Data Package). Validation has two layers:

1. the schema, checked by the `frictionless` library: types, required fields, allowed values,
   patterns, ranges, primary keys and foreign keys;
2. the course's consistency rules, checked here (each has a name, used in the messages and tests):
   `arm-sum`, `arm-count`, `arm-exists`, `ci-order`, `estimate-in-ci`, `events-le-total`, `n-le-randomised`,
   `date-in-past`, `source-in-bibliography`, `source-has-link`, `missing-has-reason`,
   `retracted-source-marked`, `not-read-is-empty`, `empty-is-not-read`, `effect-recomputes`.

Every problem names the table, the line of the CSV file, the field, the bad value and the rule.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .project import ROOT, find_root

#: The repository's data folder (the default when no book is found above the working directory).
DATA_DIR = ROOT / "book" / "data"


def default_folder() -> Path:
    """The data folder of the book the caller works in: the nearest `_config.yml` at or above the
    working directory (a notebook runs in its own folder), else the repository's."""
    try:
        return find_root(Path.cwd()) / "book" / "data"
    except FileNotFoundError:
        return DATA_DIR
MISSING_RE = re.compile(r"\bmissing (NR|NF|RS|NA)\b")
#: Fields whose emptiness must be explained in the row's note, per table.
EXPLAIN_IF_EMPTY = {
    "outcomes": ["estimate"],
    "effects": ["estimate"],
    "responders": ["events", "total"],
    "adverse_events": ["events", "total"],
    "protocol": ["value"],
    "trials": ["n_randomized", "phase", "primary_measure"],
    "arms": ["n_randomized"],
    "comparators": ["estimate"],
    "other_indications": ["participants"],
}
ALL_ARMS = "all arms"
#: The fields that hold a table's values (a row with none of them filled records a gap).
VALUE_FIELDS = {
    "outcomes": ["estimate", "ci_low", "ci_high", "sd", "se"],
    "effects": ["estimate", "ci_low", "ci_high", "p_value"],
    "responders": ["events", "total", "percent"],
    "adverse_events": ["events", "total", "percent", "finding"],
    "protocol": ["value", "value_min", "value_max"],
    "comparators": ["estimate", "ci_low", "ci_high"],
    "other_indications": ["participants", "trial_id"],  # a row naming a trial takes its size from the trials table
}
RETRACTED_STATUSES = {"retracted", "results only in a retracted source"}


@dataclass(frozen=True)
class DataError:
    table: str
    line: int | None
    field: str | None
    value: object
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table}.csv" + (f" line {self.line}" if self.line else "")
        field = f", field '{self.field}'" if self.field else ""
        value = "" if self.value is None else f", value {self.value!r}"
        return f"{where}{field}{value}: [{self.rule}] {self.message}"


class DataValidationError(ValueError):
    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the data:\n" + "\n".join(map(str, errors)))


def schema(folder: Path | None = None) -> dict:
    folder = folder or default_folder()
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _frictionless_errors(folder: Path) -> list[DataError]:
    from frictionless import validate as fl_validate

    report = fl_validate(str(folder / "datapackage.json"))
    errors = []
    for error in report.errors:  # package-level problems (a file missing, a bad descriptor)
        errors.append(DataError("datapackage", None, None, None, error.type, error.message))
    for task in report.tasks:
        for error in task.errors:
            errors.append(DataError(
                task.name, getattr(error, "row_number", None), getattr(error, "field_name", None),
                getattr(error, "cell", None), f"schema:{error.type}", error.note or error.message))
    return errors


def _read(folder: Path, resource: dict) -> pd.DataFrame:
    kinds = {"integer": "Int64", "number": "Float64", "string": "string", "date": "string"}
    dtypes = {f["name"]: kinds.get(f["type"], "string") for f in resource["schema"]["fields"]}
    frame = pd.read_csv(folder / resource["path"], dtype=dtypes, keep_default_na=False, na_values=[""])
    for field in resource["schema"]["fields"]:
        if field["type"] == "date":
            frame[field["name"]] = pd.to_datetime(frame[field["name"]], format="%Y-%m-%d").dt.date
    frame.index = frame.index + 2  # the CSV line number (line 1 is the header)
    return frame


def _bibliography(folder: Path) -> dict[str, dict]:
    from pybtex.database import parse_file

    bib = parse_file(str(folder.parent / "references.bib"))
    return {key: dict(entry.fields) for key, entry in bib.entries.items()}


def _present(value) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def _rules(tables: dict[str, pd.DataFrame], bib: dict[str, dict], tolerance: float) -> list[DataError]:
    errors: list[DataError] = []

    def err(table, line, field, value, rule, message):
        errors.append(DataError(table, int(line) if line is not None else None, field,
                                None if not _present(value) else value, rule, message))

    trials, arms = tables["trials"], tables["arms"]

    # arm-sum and arm-count
    for line, trial in trials.iterrows():
        own = arms[arms.trial_id == trial.trial_id]
        if len(own) != trial.arms:
            err("trials", line, "arms", trial.arms, "arm-count",
                f"trial {trial.trial_id} declares {trial.arms} arms but the arms table lists {len(own)}")
        sizes = own.n_randomized
        if _present(trial.n_randomized) and len(own) and sizes.notna().all() and int(sizes.sum()) != trial.n_randomized:
            err("trials", line, "n_randomized", trial.n_randomized, "arm-sum",
                f"the arms of {trial.trial_id} add up to {int(sizes.sum())}, not to the {trial.n_randomized} randomised")

    # arm-exists: every arm named elsewhere is a randomised arm of its trial, arms joined with ' + ', or 'all arms'
    known = set(zip(arms.trial_id, arms.arm))
    for name, fields in (("outcomes", ["arm"]), ("responders", ["arm"]), ("adverse_events", ["arm"]),
                         ("effects", ["treatment_arm", "control_arm"])):
        for line, row in tables[name].iterrows():
            for field in fields:
                if row[field] == ALL_ARMS:
                    continue
                unknown = [part for part in row[field].split(" + ") if (row.trial_id, part) not in known]
                if unknown:
                    err(name, line, field, row[field], "arm-exists",
                        f"{', '.join(unknown)} is not an arm of {row.trial_id} in the arms table (or write '{ALL_ARMS}')")

    # ci-order and estimate-in-ci
    for name in ("outcomes", "effects", "comparators"):
        for line, row in tables[name].iterrows():
            low, high, est = row.ci_low, row.ci_high, row.estimate
            if _present(low) and _present(high) and low > high:
                err(name, line, "ci_low", low, "ci-order", f"the lower limit is above the upper limit ({high})")
            elif _present(est) and _present(low) and _present(high) and not (low <= est <= high):
                err(name, line, "estimate", est, "estimate-in-ci", f"the estimate lies outside its 95% CI [{low}, {high}]")

    # events-le-total
    for name in ("responders", "adverse_events"):
        for line, row in tables[name].iterrows():
            if _present(row.events) and _present(row.total) and row.events > row.total:
                err(name, line, "events", row.events, "events-le-total", f"more events than participants ({row.total})")

    # n-le-randomised: nobody is analysed who was not randomised to the arm
    arm_n = {(a.trial_id, a.arm): a.n_randomized for a in arms.itertuples() if _present(a.n_randomized)}
    for name, field in (("outcomes", "n"), ("responders", "total"), ("adverse_events", "total")):
        for line, row in tables[name].iterrows():
            limit = arm_n.get((row.trial_id, row.arm))
            if limit is not None and _present(row[field]) and row[field] > limit:
                err(name, line, field, row[field], "n-le-randomised",
                    f"more participants than the {limit} randomised to {row.trial_id} {row.arm}")

    # date-in-past
    today = dt.date.today()
    for name, field in (("regulatory_events", "date"), ("legal_status", "as_of")):
        for line, row in tables[name].iterrows():
            if _present(row[field]) and row[field] > today:
                err(name, line, field, row[field].isoformat(), "date-in-past", "the date lies in the future")

    # source-in-bibliography, source-has-link, retracted-source-marked, missing-has-reason
    status = dict(zip(trials.trial_id, trials.status))
    for name, frame in tables.items():
        for line, row in frame.iterrows():
            key = row.source_key
            note = row.note if _present(row.note) else ""
            entry = bib.get(key)
            if entry is None:
                err(name, line, "source_key", key, "source-in-bibliography", "no entry with this key in book/references.bib")
            else:
                if "doi" not in entry and "url" not in entry:
                    err(name, line, "source_key", key, "source-has-link", "the bibliography entry has no doi or url")
                if entry.get("note", "").startswith("RETRACTED") and not re.search(r"\bRS\b", note) \
                        and status.get(row.get("trial_id")) not in RETRACTED_STATUSES:
                    err(name, line, "source_key", key, "retracted-source-marked",
                        "the source is retracted: mark the row with 'RS' in its note or the trial's status")
            if row.source_quality == "not_read":
                filled = [f for f in VALUE_FIELDS.get(name, EXPLAIN_IF_EMPTY.get(name, [])) if _present(row[f])]
                if filled:
                    err(name, line, filled[0], row[filled[0]], "not-read-is-empty",
                        f"a row marked not_read records a gap, but {', '.join(filled)} hold values")
            for field in EXPLAIN_IF_EMPTY.get(name, []):
                if not _present(row[field]) and not (MISSING_RE.search(note) and field in note):
                    err(name, line, field, None, "missing-has-reason",
                        f"the value is empty: say why in the note, e.g. 'missing NR: {field}'")

    # empty-is-not-read: a row that records no value at all is a gap, and says so in its source quality
    for name, fields in VALUE_FIELDS.items():
        for line, row in tables[name].iterrows():
            if row.source_quality != "not_read" and not any(_present(row[f]) for f in fields):
                err(name, line, "source_quality", row.source_quality, "empty-is-not-read",
                    "the row holds no value: mark it not_read (a gap), or fill the value")

    # effect-recomputes: Cohen's d from the arms' mean changes and SDs, where both are published
    outcomes = tables["outcomes"]
    changes = outcomes[(outcomes.estimate_type == "mean change") & outcomes.estimate.notna()
                       & outcomes.sd.notna() & outcomes.n.notna()]
    for line, row in tables["effects"].iterrows():
        if row.effect_type != "Cohen's d" or not _present(row.estimate):
            continue
        pick = lambda arm: changes[(changes.trial_id == row.trial_id) & (changes.arm == arm)
                                   & (changes.measure == row.measure) & (changes.timepoint == row.timepoint)]
        treated, control = pick(row.treatment_arm), pick(row.control_arm)
        if len(treated) != 1 or len(control) != 1:
            continue
        d = recompute_cohens_d(*(float(x) for x in (treated.estimate.iloc[0], treated.sd.iloc[0], treated.n.iloc[0],
                                                     control.estimate.iloc[0], control.sd.iloc[0], control.n.iloc[0])))
        note = row.note if _present(row.note) else ""
        if abs(d - row.estimate) > tolerance and "recompute:" not in note:
            err("effects", line, "estimate", row.estimate, "effect-recomputes",
                f"Cohen's d recomputed from the arms' mean changes and SDs is {d:.2f}; fix the row or explain "
                f"in the note with 'recompute: ...'")
    return errors


def recompute_cohens_d(mean_t: float, sd_t: float, n_t: float, mean_c: float, sd_c: float, n_c: float) -> float:
    """Cohen's d for change scores, positive when the treated arm improved more (fell further)."""
    pooled = math.sqrt(((n_t - 1) * sd_t**2 + (n_c - 1) * sd_c**2) / (n_t + n_c - 2))
    return (mean_c - mean_t) / pooled


def validate(folder: Path | None = None) -> list[DataError]:
    """Every problem in the data package (an empty list when it is sound)."""
    folder = folder or default_folder()
    errors = _frictionless_errors(folder)
    if errors:
        return errors  # the consistency rules need well-typed tables
    package = schema(folder)
    tables = {res["name"]: _read(folder, res) for res in package["resources"]}
    return _rules(tables, _bibliography(folder), float(package.get("x_effect_tolerance", 0.06)))


def load(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """The validated tables, keyed by name; raises DataValidationError naming every problem."""
    folder = folder or default_folder()
    errors = validate(folder)
    if errors:
        raise DataValidationError(errors)
    return {res["name"]: _read(folder, res).reset_index(drop=True) for res in schema(folder)["resources"]}


def bibliography(folder: Path | None = None) -> dict[str, dict]:
    """The bibliography's entries (fields by key) for the book that holds the data folder."""
    return _bibliography(folder or default_folder())


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Validate the evidence data package.")
    parser.add_argument("--folder", type=Path, help="the data folder (default: the book's book/data); "
                                                     "its parent holds references.bib")
    folder = parser.parse_args(argv).folder or default_folder()
    errors = validate(folder)
    for error in errors:
        print(error)
    print(f"{len(errors)} problem(s) in {folder}" if errors else f"{folder}: valid")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
