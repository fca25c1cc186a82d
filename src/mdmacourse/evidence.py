"""What the evidence chapters show: their tables and the numbers their prose quotes.

Each chapter notebook glues the strings returned here (``{glue:text}`` in the prose), and a test
recomputes them from the data and checks the built pages, so text, tables and charts cannot disagree.
"""
from __future__ import annotations

import pandas as pd

from . import analysis
from .analysis import fmt

PHASE_WORDS = {2: "phase 2", 3: "phase 3"}


def markdown_table(frame: pd.DataFrame, caption: str, name: str, widths: list[int] | None = None) -> str:
    """A MyST list-table (numbered, captioned, referable with {numref}) from a DataFrame of strings."""
    lines = [f"```{{list-table}} {caption}", ":header-rows: 1", f":name: {name}"]
    if widths:
        lines.append(":widths: " + " ".join(map(str, widths)))
    lines.append("")
    for row in [list(frame.columns), *frame.astype(str).values.tolist()]:
        first, *rest = [cell.replace("\n", " ") or " " for cell in row]
        lines += [f"* - {first}", *(f"  - {cell}" for cell in rest)]
    lines.append("```")
    return "\n".join(lines)


def trials_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per trial, as the landscape chapter shows it."""
    trials, arms = tables["trials"], tables["arms"]
    rows = []
    for t in trials.sort_values(["phase", "trial_id"], ascending=[False, True], na_position="last").itertuples():
        own = arms[arms.trial_id == t.trial_id]
        arm_text = "; ".join(f"{a.arm} ({a.n_randomized})" if pd.notna(a.n_randomized) else a.arm for a in own.itertuples())
        rows.append({
            "Trial": t.trial_id,
            "Phase": str(t.phase) if pd.notna(t.phase) else "not stated",
            "Randomised": str(t.n_randomized) if pd.notna(t.n_randomized) else "not reported",
            "Arms (randomised)": arm_text,
            "Status": t.status,
            "Source": f"{{cite:t}}`{t.source_key}`",
        })
    return pd.DataFrame(rows)


def landscape_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    trials = tables["trials"]
    phase3 = trials[trials.phase == 3]
    phase2 = trials[trials.phase == 2]
    with_n = trials[trials.n_randomized.notna()]
    compromised = trials[trials.status.isin(["compromised", "retracted", "results only in a retracted source"])]
    return {
        "n_trials": str(len(trials)),
        "n_phase3": str(len(phase3)),
        "n_phase2": str(len(phase2)),
        "n_randomised_total": str(int(with_n.n_randomized.sum())),
        "n_randomised_phase3": str(int(phase3.n_randomized.sum())),
        "n_randomised_phase2": str(int(phase2.n_randomized.dropna().sum())),
        "largest_phase2": str(int(phase2.n_randomized.max())),
        "smallest_trial": str(int(with_n.n_randomized.min())),
        "n_flagged_trials": str(len(compromised)),
        "flagged_trials": ", ".join(sorted(compromised.trial_id)),
        "n_countries": str(len({c.strip() for cs in trials.countries.dropna() for c in cs.split(";")})),
    }


def efficacy_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    effects = analysis.trial_effects(tables)
    pooled = analysis.pool(effects)
    phase3 = analysis.pool(effects[effects.phase == 3])
    loo = analysis.leave_one_out(effects)
    excluded = sorted(set(tables["trials"].trial_id) - set(effects.trial_id))
    flagged = effects.status.isin(["compromised", "retracted", "results only in a retracted source"])
    clean = analysis.pool(effects[~flagged])
    by_trial = effects.set_index("trial_id")
    numbers = {
        "k": str(pooled.k),
        "pooled_g": fmt(pooled.estimate),
        "pooled_ci": f"{fmt(pooled.ci_low)} to {fmt(pooled.ci_high)}",
        "pooled_tau2": fmt(pooled.tau2, 3),
        "pooled_i2": f"{pooled.i2 * 100:.0f}%",
        "pooled_q": fmt(pooled.q),
        "pooled_q_df": str(pooled.k - 1),
        "pooled_pq": fmt(pooled.p_q),
        "pooled_pi": f"{fmt(pooled.pi_low)} to {fmt(pooled.pi_high)}",
        "phase3_g": fmt(phase3.estimate),
        "phase3_ci": f"{fmt(phase3.ci_low)} to {fmt(phase3.ci_high)}",
        "clean_k": str(clean.k),
        "clean_g": fmt(clean.estimate),
        "loo_min": fmt(loo.estimate.min()),
        "loo_max": fmt(loo.estimate.max()),
        "loo_min_trial": loo.loc[loo.estimate.idxmin(), "left_out"],
        "loo_max_trial": loo.loc[loo.estimate.idxmax(), "left_out"],
        "excluded_trials": ", ".join(excluded),
        "n_excluded": str(len(excluded)),
        "g_min": fmt(effects.g.min()),
        "g_max": fmt(effects.g.max()),
        "g_min_trial": effects.loc[effects.g.idxmin(), "trial_id"],
        "g_max_trial": effects.loc[effects.g.idxmax(), "trial_id"],
        "n_sd_from_ci": str(int(effects.sd_from_ci.sum())),
        "secondary_trials": ", ".join(secondary_inputs(tables, effects)),
        "n_secondary_trials": str(len(secondary_inputs(tables, effects))),
    }
    for trial_id in ("MAPP1", "MAPP2"):
        if trial_id in by_trial.index:
            key = trial_id.lower()
            numbers[f"{key}_g"] = fmt(by_trial.loc[trial_id, "g"])
            numbers[f"{key}_ci"] = f"{fmt(by_trial.loc[trial_id, 'ci_low'])} to {fmt(by_trial.loc[trial_id, 'ci_high'])}"
    published = tables["effects"]
    for trial_id in ("MAPP1", "MAPP2"):
        row = published[(published.trial_id == trial_id) & (published.effect_type == "Cohen's d")
                        & (published.measure == "CAPS-5") & published.estimate.notna()]
        if len(row):
            numbers[f"{trial_id.lower()}_published_d"] = fmt(float(row.estimate.iloc[0]))
    return numbers


def secondary_inputs(tables: dict[str, pd.DataFrame], effects: pd.DataFrame) -> list[str]:
    """Trials whose effect-size inputs (outcome rows at the primary endpoint) were read only in a secondary source."""
    outcomes = tables["outcomes"]
    found = []
    for e in effects.itertuples():
        used = outcomes[(outcomes.trial_id == e.trial_id) & (outcomes.measure == e.measure)
                        & (outcomes.timepoint == e.timepoint) & outcomes.arm.isin([e.treatment_arm, e.control_arm])]
        if len(used) and (used.source_quality == "secondary").any():
            found.append(e.trial_id)
    return found


def effects_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    effects = analysis.trial_effects(tables)
    rows = []
    for e in effects.itertuples():
        rows.append({
            "Trial": e.trial_id,
            "Comparison": f"{e.treatment_arm} vs {e.control_arm}",
            "Measure, basis": f"{e.measure}, {e.basis}" + (" (SD from CI)" if e.sd_from_ci else ""),
            "n": f"{e.n_treatment} vs {e.n_control}",
            "g (95% CI)": f"{fmt(e.g)} ({fmt(e.ci_low)} to {fmt(e.ci_high)})",
        })
    return pd.DataFrame(rows)


def comparator_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Standardised effect sizes of established treatments against placebo or inactive controls."""
    c = tables["comparators"]
    keep = c[c.estimate.notna() & c.ci_low.notna() & c.effect_type.str.contains("standardised|Hedges", case=False)
             & c.comparator.str.contains("placebo|waitlist|inactive", case=False)].copy()
    keep["label"] = [short_comparator_label(t, c) for t, c in zip(keep.treatment, keep.comparator)]
    return keep.sort_values(["treatment_class", "estimate"]).reset_index(drop=True)


KIND_OF_EVENT = {
    "scheduling": "Scheduling and law", "legislation": "Scheduling and law",
    "designation": "Regulators and advisers", "advisory committee": "Regulators and advisers", "vote": "Regulators and advisers",
    "regulatory decision": "Regulators and advisers", "access programme": "Access programmes and guidelines",
    "guideline": "Access programmes and guidelines", "evidence review": "Evidence reviews", "retraction": "Retractions",
    "other": "Regulators and advisers",
}
KIND_COLOUR = {"Trial reports published": "publication", "Retractions": "retraction", "Scheduling and law": "neutral",
               "Regulators and advisers": "regulatory", "Access programmes and guidelines": "phase 2",
               "Evidence reviews": "control"}


def timeline_events(tables: dict[str, pd.DataFrame], bibliography: dict[str, dict]) -> pd.DataFrame:
    """Dated events for the landscape timeline: trial reports (by the year of their source) and the
    regulatory events table. Trial reports are placed at mid-year, since only the year is recorded."""
    rows = []
    for t in tables["trials"].itertuples():
        year = bibliography.get(t.source_key, {}).get("year")
        if year and t.status == "published":
            rows.append({"date": pd.Timestamp(int(year), 7, 1), "kind": "Trial reports published", "label": t.trial_id})
    for e in tables["regulatory_events"].itertuples():
        rows.append({"date": pd.Timestamp(e.date), "kind": KIND_OF_EVENT.get(e.event_type, "Regulators and advisers"),
                     "label": e.event})
    frame = pd.DataFrame(rows).sort_values("date").reset_index(drop=True)
    order = list(KIND_COLOUR)
    frame["kind"] = pd.Categorical(frame.kind, categories=order, ordered=True)
    frame = frame.sort_values(["kind", "date"]).reset_index(drop=True)
    frame["kind"] = frame.kind.astype(str)
    frame["colour"] = frame.kind.map(KIND_COLOUR)
    return frame


def short_comparator_label(treatment: str, comparator: str) -> str:
    name = treatment.split(" (")[0].replace(" interventions", "")
    versus = "placebo" if "placebo" in comparator.lower() else "inactive control"
    return f"{name} vs {versus}"


def arm_changes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Change from baseline on the primary PTSD measure at the primary endpoint, per arm, with a 95% CI:
    the published CI where there is one, else mean ± 1.96 SD / sqrt(n)."""
    outcomes, trials = tables["outcomes"], tables["trials"]
    rows = []
    for t in trials.itertuples():
        if pd.isna(t.primary_measure):
            continue
        timepoint = analysis.primary_timepoint(outcomes, t.trial_id, t.primary_measure)
        if timepoint is None:
            continue
        own = outcomes[(outcomes.trial_id == t.trial_id) & (outcomes.measure == t.primary_measure)
                       & (outcomes.timepoint == timepoint) & outcomes.estimate.notna()
                       & outcomes.estimate_type.isin(["mean change", "LS mean change"])]
        for r in own.itertuples():
            if pd.notna(r.ci_low):
                low, high = float(r.ci_low), float(r.ci_high)
            elif pd.notna(r.sd) and pd.notna(r.n):
                half = analysis.Z95 * float(r.sd) / float(r.n) ** 0.5
                low, high = float(r.estimate) - half, float(r.estimate) + half
            else:
                continue
            rows.append({"trial_id": t.trial_id, "arm": r.arm, "measure": t.primary_measure, "kind": r.estimate_type,
                         "estimate": float(r.estimate), "ci_low": low, "ci_high": high,
                         "arm_type": tables["arms"].set_index(["trial_id", "arm"]).arm_type.get((t.trial_id, r.arm))})
    return pd.DataFrame(rows)
