"""The data dictionary, written as MyST Markdown from `datapackage.json` (never by hand).

The Sphinx directive ``{data-dictionary}`` (in ``sphinxext``) parses this text into the page, so the
dictionary in the HTML and PDF books always matches the schema the validator uses.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import data


def _cell(text: object) -> str:
    return str(text).replace("\n", " ").strip() or " "


def _row(cells: list[object]) -> list[str]:
    first, *rest = (_cell(c) for c in cells)
    return [f"* - {first}", *(f"  - {c}" for c in rest)]


def dictionary_markdown(folder: Path, link_prefix: str = "data") -> str:
    """The whole dictionary. `link_prefix` is the data folder relative to the page that shows it."""
    package = data.schema(folder)
    out: list[str] = []
    out += ["### Conventions", ""]
    out += [f"- {rule}" for rule in package.get("x_conventions", [])]
    out += ["", "### Missing values", "",
            "An empty cell is a missing value. The row's note gives a reason code and the fields it applies to.", ""]
    out += ["```{list-table} Reason codes for missing values", ":header-rows: 1", ":widths: 15 85", ""]
    out += _row(["Code", "Meaning"])
    for code, meaning in package.get("x_missing_reasons", {}).items():
        out += _row([f"`{code}`", meaning])
    out += ["```", ""]
    quality_field = [f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "source_quality"][0]
    levels = quality_field["constraints"]["enum"]
    out += ["### Source quality at a glance", "",
            "Every row records how directly its value was read:", ""]
    for value, definition in quality_field["x_definitions"].items():
        out += [f"`{value}`", f": {definition}", ""]
    out += ["The number of rows of each kind, table by table:", ""]
    out += ["```{list-table} Rows by source quality", ":header-rows: 1", ""]
    out += _row(["Table", *[f"`{level}`" for level in levels], "All rows"])
    for res in package["resources"]:
        quality = pd.read_csv(folder / res["path"], dtype=str, keep_default_na=False)["source_quality"]
        out += _row([res["title"], *[str(int((quality == level).sum())) for level in levels], str(len(quality))])
    out += ["```", ""]
    out += ["### Files", "",
            f"- {{download}}`The schema, datapackage.json <{link_prefix}/datapackage.json>` "
            "(a Frictionless Data Package: field types, constraints, keys and the definitions below)"]
    for res in package["resources"]:
        out.append(f"- {{download}}`{res['title']}, {res['path']} <{link_prefix}/{res['path']}>`")
    out.append("")
    for res in package["resources"]:
        rows = len(pd.read_csv(folder / res["path"], dtype=str, keep_default_na=False))
        sch = res["schema"]
        out += [f"### {res['title']} (`{res['path']}`)", "", res["description"], ""]
        key = ", ".join(f"`{k}`" for k in sch.get("primaryKey", []))
        out.append(f"Rows: {rows}. Each row is identified by {key}.")
        for fk in sch.get("foreignKeys", []):
            fields = ", ".join(f"`{f}`" for f in fk["fields"])
            out.append(f"The values of {fields} must exist in the {fk['reference']['resource']} table.")
        out += ["", f"```{{list-table}} Fields of {res['path']}", ":header-rows: 1", ":widths: 25 9 13 8 45", ""]
        out += _row(["Field", "Type", "Unit", "Req.", "Meaning"])
        for f in sch["fields"]:
            constraints = f.get("constraints", {})
            meaning = f["description"]
            if "enum" in constraints and "x_definitions" not in f:
                meaning += " Allowed: " + ", ".join(f"`{v}`" for v in constraints["enum"] if v != "") + "."
            if "minimum" in constraints or "maximum" in constraints:
                meaning += f" Range: {constraints.get('minimum', '')} to {constraints.get('maximum', 'no limit')}."
            out += _row([f"`{f['name']}`", f["type"], f.get("unit", "—"), "yes" if constraints.get("required") else "no",
                         meaning])
        out += ["```", ""]
        for f in sch["fields"]:
            if "x_definitions" in f and f["name"] != "source_quality":
                out += [f"Values of `{f['name']}`:", ""]
                for value, definition in f["x_definitions"].items():
                    out += [f"`{value}`", f": {definition}", ""]
        sources = sorted(set(pd.read_csv(folder / res["path"], dtype=str, keep_default_na=False)["source_key"]))
        if sources:
            out += ["Sources of the values in this table: " + ", ".join(f"{{cite:t}}`{s}`" for s in sources) + ".", ""]
    return "\n".join(out) + "\n"
