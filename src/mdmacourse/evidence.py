"""What the evidence chapters show: their tables and the numbers their prose quotes.

Each chapter notebook glues the strings returned here (``{glue:text}`` in the prose), and a test
recomputes them from the data and checks the built pages, so text, tables and charts cannot disagree.
"""
from __future__ import annotations

import pandas as pd

from . import analysis
from .analysis import fmt

PHASE_WORDS = {2: "phase 2", 3: "phase 3"}


#: A table with more text than this may not fit on one printed page, so it is set as a LaTeX longtable,
#: which breaks across pages (a plain table would run off the page).
LONG_TABLE_CHARS = 2500


def markdown_table(frame: pd.DataFrame, caption: str, name: str, widths: list[int] | None = None) -> str:
    """A MyST list-table (numbered, captioned, referable with {numref}) from a DataFrame of strings."""
    lines = [f"```{{list-table}} {caption}", ":header-rows: 1", f":name: {name}"]
    if frame.astype(str).map(len).to_numpy().sum() > LONG_TABLE_CHARS:
        lines.append(":class: longtable")
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


#: The stages of a trial's follow-up, in time order, and how to recognise each in the outcomes' timepoint text.
FOLLOW_UP_STAGES = ["baseline", "primary endpoint", "study exit", "long-term follow-up"]


def _stage(timepoint: str) -> str | None:
    text = timepoint.lower()
    if text == "baseline":
        return "baseline"
    if text.startswith("primary endpoint"):
        return "primary endpoint"
    if text.startswith("study exit"):
        return "study exit"
    if "follow-up" in text:
        return "long-term follow-up"
    return None


def follow_up(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mean CAPS score at each stage for every trial with a long-term follow-up row: one row per trial, arm and
    stage (baseline and endpoint means only, so the stages are on one scale). `controlled` is False for the
    stages after the blinded comparison ended (crossover or open-label treatment)."""
    outcomes, trials = tables["outcomes"], tables["trials"]
    arm_types = tables["arms"].set_index(["trial_id", "arm"]).arm_type
    rows = []
    for t in trials.itertuples():
        own = outcomes[(outcomes.trial_id == t.trial_id) & (outcomes.measure == t.primary_measure)
                       & outcomes.estimate.notna() & outcomes.estimate_type.isin(["baseline mean", "endpoint mean"])]
        stages = own.timepoint.map(_stage)
        if "long-term follow-up" not in set(stages):
            continue
        for r, stage in zip(own.itertuples(), stages):
            if stage is None:
                continue
            rows.append({"trial_id": t.trial_id, "arm": r.arm, "measure": r.measure, "stage": stage,
                         "order": FOLLOW_UP_STAGES.index(stage), "mean": float(r.estimate),
                         "n": int(r.n) if pd.notna(r.n) else None, "timepoint": r.timepoint,
                         "arm_type": arm_types.get((t.trial_id, r.arm), "pooled"),
                         "controlled": stage in ("baseline", "primary endpoint")})
    columns = ["trial_id", "arm", "measure", "stage", "order", "mean", "n", "timepoint", "arm_type", "controlled"]
    return pd.DataFrame(rows, columns=columns).sort_values(["trial_id", "arm", "order"]).reset_index(drop=True)


def follow_up_description(tables: dict[str, pd.DataFrame]) -> str:
    frame = follow_up(tables)
    lines = [f"- {r.trial_id}, {r.arm}, {r.timepoint}: mean {r.measure} {fmt(r.mean, 1)} (n = {r.n})."
             for r in frame.itertuples()]
    return _dropdown("Text description of the follow-up chart", lines)


def _two_arm_counts(tables: dict[str, pd.DataFrame], table: str, keys: list[str]):
    """Yield (trial_id, key values, group, (events_t, total_t, events_c, total_c)) for every group of rows of
    `table` with counts in both arms of the trial's primary comparison."""
    frame, arms = tables[table], tables["arms"]
    for trial_id in tables["trials"].trial_id:
        if trial_id not in set(arms.trial_id):
            continue
        treatment, control = analysis.primary_comparison(arms, trial_id)
        own = frame[(frame.trial_id == trial_id) & frame.events.notna() & frame.total.notna()]
        for values, group in own.groupby(keys, sort=False):
            t, c = group[group.arm == treatment], group[group.arm == control]
            if len(t) == 1 and len(c) == 1:
                counts = (int(t.events.iloc[0]), int(t.total.iloc[0]), int(c.events.iloc[0]), int(c.total.iloc[0]))
                yield trial_id, (treatment, control), values, group, counts


def responder_contrasts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """For each trial, definition and time point with counts in both arms of the primary comparison:
    the proportions, the risk difference with its 95% CI, and the NNT (statsmodels underneath)."""
    rows = []
    for trial_id, (treatment, control), (definition, timepoint), group, (et, nt, ec, nc) in _two_arm_counts(
            tables, "responders", ["definition", "timepoint"]):
        rd = analysis.risk_difference(et, nt, ec, nc)
        rows.append({"trial_id": trial_id, "definition": definition, "timepoint": timepoint,
                     "treatment_arm": treatment, "control_arm": control, "events_t": et, "total_t": nt,
                     "events_c": ec, "total_c": nc, "p_t": et / nt, "p_c": ec / nc, "rd": rd.rd,
                     "rd_low": rd.ci_low, "rd_high": rd.ci_high, "nnt": rd.nnt, "nnt_low": rd.nnt_ci[0],
                     "nnt_high": rd.nnt_ci[1], "quality": ", ".join(sorted(set(group.source_quality)))})
    return pd.DataFrame(rows)


def _nnt_text(row) -> str:
    if row.nnt_low == float("inf"):
        return f"{fmt(row.nnt, 1)} (CI includes no benefit)"
    return f"{fmt(row.nnt, 1)} ({fmt(row.nnt_low, 1)} to {fmt(row.nnt_high, 1)})"


def responder_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for r in responder_contrasts(tables).itertuples():
        rows.append({
            "Trial": r.trial_id,
            "Definition": r.definition,
            "MDMA arm": f"{r.events_t}/{r.total_t} ({r.p_t * 100:.0f}%)",
            "Comparison arm": f"{r.events_c}/{r.total_c} ({r.p_c * 100:.0f}%)",
            "Risk difference (95% CI)": f"{fmt(r.rd)} ({fmt(r.rd_low)} to {fmt(r.rd_high)})",
            "NNT (95% CI)": _nnt_text(r),
            "Source quality": r.quality,
        })
    return pd.DataFrame(rows)


def responder_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    contrasts = responder_contrasts(tables)
    numbers = {"n_contrasts": str(len(contrasts)), "n_trials_with_counts": str(contrasts.trial_id.nunique())}
    for r in contrasts.itertuples():
        if r.trial_id in ("MAPP1", "MAPP2") and r.definition in ("remission", "clinically meaningful response"):
            key = f"{r.trial_id.lower()}_{'remission' if r.definition == 'remission' else 'response'}"
            numbers[f"{key}_t"] = f"{r.events_t} of {r.total_t}"
            numbers[f"{key}_c"] = f"{r.events_c} of {r.total_c}"
            numbers[f"{key}_rd"] = f"{fmt(r.rd)} ({fmt(r.rd_low)} to {fmt(r.rd_high)})"
            numbers[f"{key}_nnt"] = _nnt_text(r)
    lod = tables["responders"]
    lod = lod[(lod.trial_id == "MAPP1") & (lod.definition == "loss of diagnosis") & lod.percent.notna()]
    for r in lod.itertuples():
        numbers[f"mapp1_lod_{'t' if r.arm == 'MDMA' else 'c'}"] = f"{r.percent:.0f}%"
    out = tables["outcomes"]
    ltfu = out[(out.trial_id == "MP-1") & (out.arm == "all arms") & out.estimate.notna()]
    for r in ltfu.itertuples():
        key = "exit" if r.timepoint.startswith("study exit") else "ltfu"
        numbers[f"mp1_{key}_mean"] = fmt(float(r.estimate), 1)
        numbers[f"mp1_{key}_n"] = str(int(r.n))
    return numbers


def ae_contrasts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Adverse-event counts in both arms of each trial's primary comparison, with risk differences and the
    number needed to harm (NNH: the reciprocal of a risk difference that favours the comparison arm)."""
    rows = []
    for trial_id, _, (category, event), group, (et, nt, ec, nc) in _two_arm_counts(
            tables, "adverse_events", ["category", "event"]):
        rd = analysis.risk_difference(et, nt, ec, nc) if (et + ec) else None
        rows.append({"trial_id": trial_id, "category": category, "event": event, "events_t": et, "total_t": nt,
                     "events_c": ec, "total_c": nc, "p_t": et / nt, "p_c": ec / nc,
                     "rd": rd.rd if rd else 0.0, "rd_low": rd.ci_low if rd else 0.0, "rd_high": rd.ci_high if rd else 0.0,
                     "nnh": rd.nnt if rd else float("inf"), "quality": ", ".join(sorted(set(group.source_quality)))})
    return pd.DataFrame(rows)


def vital_signs(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every vital-sign row of the adverse-events table, with what the data set holds for it: a count, or the
    reason it has none (so that a reader sees the gap instead of an empty chart)."""
    frame = tables["adverse_events"]
    rows = []
    for r in frame[frame.category == "vital signs"].itertuples():
        if pd.notna(r.events) and pd.notna(r.total):
            held = f"{int(r.events)} of {int(r.total)}"
        elif r.source_quality == "not_read" or pd.isna(r.events):
            held = "no count found in the sources read"
        else:
            held = ""
        rows.append({"Trial": r.trial_id, "Arm": r.arm, "What was measured or reported": r.event,
                     "Participants with the event": held, "Source": f"{{cite:p}}`{r.source_key}`"})
    return pd.DataFrame(rows)


def ae_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for r in ae_contrasts(tables).itertuples():
        rows.append({
            "Trial": r.trial_id, "Category": r.category, "Event": r.event,
            "MDMA arm": f"{r.events_t}/{r.total_t}", "Comparison arm": f"{r.events_c}/{r.total_c}",
            "Risk difference (95% CI)": "no events in either arm" if r.events_t + r.events_c == 0
            else f"{fmt(r.rd)} ({fmt(r.rd_low)} to {fmt(r.rd_high)})",
            "Source quality": r.quality,
        })
    return pd.DataFrame(rows)


def safety_findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Safety findings reported in words (no counts), and whole-trial counts that cannot be split by arm."""
    ae = tables["adverse_events"]
    rows = []
    for r in ae[(ae.source_quality != "not_read")].itertuples():
        if pd.notna(r.finding):
            text = r.finding
        elif r.arm == "all arms" and pd.notna(r.events) and pd.notna(r.total):
            text = f"{r.events} of {r.total} participants (all arms together)"
        elif r.arm == "all arms" and pd.notna(r.events):
            text = f"{r.events} participants (all arms together)"
        else:
            continue
        rows.append({"Trial": r.trial_id, "Category": r.category, "Event": r.event, "Finding": text,
                     "Source": f"{{cite:t}}`{r.source_key}`"})
    return pd.DataFrame(rows)


def dose_response(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Response by randomised dose in the phase 2 dose-comparison trials."""
    responders, arms = tables["responders"], tables["arms"]
    doses = arms.set_index(["trial_id", "arm"]).initial_dose_mg
    rows = []
    own = responders[(responders.definition == "response") & responders.events.notna() & responders.total.notna()]
    for r in own.itertuples():
        arm_count = (arms.trial_id == r.trial_id).sum()
        dose = doses.get((r.trial_id, r.arm))
        if arm_count < 3 or pd.isna(dose):
            continue
        rows.append({"trial_id": r.trial_id, "dose_mg": float(dose), "p": r.events / r.total,
                     "events": int(r.events), "total": int(r.total)})
    return pd.DataFrame(rows).sort_values(["trial_id", "dose_mg"]).reset_index(drop=True)


def safety_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    contrasts = ae_contrasts(tables)
    numbers = {"n_ae_contrasts": str(len(contrasts))}
    common = contrasts[(contrasts.trial_id == "MAPP1") & (contrasts.category == "common TEAE")].sort_values("rd", ascending=False)
    if len(common):
        top = common.iloc[0]
        numbers.update({"mapp1_top_event": top.event, "mapp1_top_t": f"{top.events_t} of {top.total_t}",
                        "mapp1_top_c": f"{top.events_c} of {top.total_c}",
                        "mapp1_top_nnh": "∞" if top.nnh == float("inf") else fmt(top.nnh, 1)})
    severe = contrasts[(contrasts.trial_id == "MAPP2") & (contrasts.category == "severe TEAE")]
    if len(severe):
        s = severe.iloc[0]
        numbers.update({"mapp2_severe_t": f"{s.events_t} of {s.total_t}", "mapp2_severe_c": f"{s.events_c} of {s.total_c}",
                        "mapp2_severe_rd": f"{fmt(s.rd)} ({fmt(s.rd_low)} to {fmt(s.rd_high)})"})
    dr = dose_response(tables)
    numbers["dose_trials"] = ", ".join(sorted(dr.trial_id.unique())) if len(dr) else "none"
    return numbers


def indications_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The studies beyond PTSD, one row each, in the order of the data; a study of a trial in the trials table
    takes its number of participants from that table."""
    frame, trials = tables["other_indications"], tables["trials"].set_index("trial_id")
    rows = []
    for r in frame.itertuples():
        if pd.notna(r.trial_id):
            size = f"{int(trials.n_randomized[r.trial_id])} randomised ({r.trial_id})"
        else:
            size = f"{int(r.participants)} {r.participants_basis}"
        if pd.notna(r.arms_detail):
            size += f" ({r.arms_detail})"
        rows.append({"Indication": r.indication, "Study and design": f"{r.study}: {r.design}",
                     "Participants": size, "Status": r.status, "Evidence label": r.evidence_label,
                     "Source": f"{{cite:p}}`{r.source_key}`"})
    return pd.DataFrame(rows)


def arm_means(tables: dict[str, pd.DataFrame], trial_id: str, measure: str, prefix: str) -> dict[str, str]:
    """Baseline and primary-endpoint means of `measure` in the two arms of a trial's primary comparison, keyed
    `{prefix}_{baseline|endpoint}_{t|c}` (t: MDMA arm, c: comparison arm)."""
    treatment, control = analysis.primary_comparison(tables["arms"], trial_id)
    out = tables["outcomes"]
    own = out[(out.trial_id == trial_id) & (out.measure == measure) & out.estimate.notna()]
    numbers = {}
    for kind, stage in (("baseline mean", "baseline"), ("endpoint mean", "endpoint")):
        for arm, side in ((treatment, "t"), (control, "c")):
            rows = own[(own.arm == arm) & (own.estimate_type == kind)]
            if len(rows) == 1:
                numbers[f"{prefix}_{stage}_{side}"] = fmt(float(rows.estimate.iloc[0]), 1)
    return numbers


def session_day(tables: dict[str, pd.DataFrame], trials: tuple[str, ...] = ("MAPP1", "MAPP2")) -> pd.DataFrame:
    """The published timings of a dosing-session day in each phase 3 trial, in hours from the initial dose: the
    supplemental-dose windows (one row per source), the session length and the overnight stay. A timing with no
    published value is kept with `found` False, so that the chart can show the gap."""
    protocol = tables["protocol"]
    rows = []
    for trial_id in trials:
        own = protocol[protocol.trial_id == trial_id]
        rows.append({"trial_id": trial_id, "element": "initial dose", "start": 0.0, "end": 0.0, "found": True,
                     "source_key": ""})
        for r in own[own.element == "supplemental_dose_timing"].itertuples():
            found = pd.notna(r.value_min)
            rows.append({"trial_id": trial_id, "element": "supplemental dose window",
                         "start": float(r.value_min) if found else None, "end": float(r.value_max) if found else None,
                         "found": found, "source_key": r.source_key})
        length = own[own.element == "experimental_session_length"]
        found = len(length) > 0 and pd.notna(length.value_min.iloc[0])
        rows.append({"trial_id": trial_id, "element": "session length", "start": 0.0,
                     "end": float(length.value_max.iloc[0]) if found else None, "found": found,
                     "source_key": length.source_key.iloc[0] if len(length) else ""})
        stay = own[own.element == "overnight_stay"]
        found = len(stay) > 0 and pd.notna(stay.value.iloc[0])
        rows.append({"trial_id": trial_id, "element": "overnight stay", "start": None, "end": None, "found": found,
                     "source_key": stay.source_key.iloc[0] if len(stay) else "",
                     "text": stay.value.iloc[0] if found else ""})
    return pd.DataFrame(rows)


def session_day_description(tables: dict[str, pd.DataFrame]) -> str:
    lines = []
    for r in session_day(tables).itertuples():
        if r.element == "initial dose":
            continue
        if not r.found:
            text = "not published in the sources read"
        elif r.element == "overnight stay":
            text = r.text
        elif r.element == "session length":
            text = f"about {fmt(r.end, 0)} hours"
        else:
            text = f"{fmt(r.start, 1)} to {fmt(r.end, 1)} hours after the initial dose"
        source = f" ({r.source_key})" if r.source_key else ""
        lines.append(f"- {r.trial_id}, {r.element}: {text}{source}.")
    return _dropdown("Text description of the session-day chart", lines)


def arm_change_numbers(tables: dict[str, pd.DataFrame], trial_id: str, prefix: str) -> dict[str, str]:
    """The fall in the primary PTSD score of each arm of a trial's primary comparison (a positive number of points,
    from the per-arm changes charted in the efficacy chapter), keyed `{prefix}_fall_{t|c}`."""
    treatment, control = analysis.primary_comparison(tables["arms"], trial_id)
    frame = arm_changes(tables)
    numbers = {}
    for arm, side in ((treatment, "t"), (control, "c")):
        rows = frame[(frame.trial_id == trial_id) & (frame.arm == arm)]
        if len(rows):
            numbers[f"{prefix}_fall_{side}"] = fmt(abs(float(rows.estimate.iloc[0])), 1)
    return numbers


QUALITY_WORDS = {"primary": "official text", "primary_copy": "copy of official text", "secondary": "secondary report",
                 "not_read": "not read"}


def legal_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The legal-status table as the law chapter prints it: one row per jurisdiction, with its date and source."""
    rows = []
    for r in tables["legal_status"].itertuples():
        rows.append({"Jurisdiction": r.jurisdiction, "Legal status": r.status, "Lawful route to MDMA": r.access_route,
                     "As of": f"{pd.Timestamp(r.as_of):%Y-%m-%d}",
                     "Source": f"{{cite:p}}`{r.source_key}` ({QUALITY_WORDS[r.source_quality]})"})
    return pd.DataFrame(rows)


#: Jurisdictions grouped into the rows of the regulatory timeline.
REGIONS = {"USA": "United States", "Australia": "Australia", "Canada": "Canada", "UK": "Europe", "Germany": "Europe",
           "Netherlands": "Europe", "Switzerland": "Europe", "EU": "Europe", "Israel": "Israel"}


def regulatory_timeline(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The regulatory events, each with the region it belongs to (its jurisdiction before any bracket) and the kind of
    event, for the law chapter's timeline; events outside a listed region count as 'International'. Retractions
    are journal decisions, not regulation, and are left to the landscape chapter's timeline."""
    rows = []
    for e in tables["regulatory_events"].itertuples():
        if e.event_type == "retraction":
            continue
        region = REGIONS.get(e.jurisdiction.split(" (")[0], "International")
        kind = KIND_OF_EVENT.get(e.event_type, "Regulators and advisers")
        rows.append({"date": pd.Timestamp(e.date), "region": region, "kind": kind, "colour": KIND_COLOUR[kind],
                     "label": f"{e.jurisdiction}: {e.event}"})
    return pd.DataFrame(rows).sort_values("date").reset_index(drop=True)


def regulatory_timeline_description(tables: dict[str, pd.DataFrame]) -> str:
    lines = [f"- {e.date:%Y-%m-%d} ({e.kind}): {e.label}" for e in regulatory_timeline(tables).itertuples()]
    return _dropdown("Text description of the regulatory timeline", lines)


def comparator_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each comparator row's estimate with its 95% CI, keyed `comp_` plus its id in lower case (e.g. comp_c09)."""
    numbers = {}
    for r in tables["comparators"].itertuples():
        if pd.isna(r.estimate):
            continue
        digits = 3 if abs(r.estimate) < 1 and len(str(r.estimate).split(".")[-1]) > 2 else 2
        text = fmt(float(r.estimate), digits)
        if pd.notna(r.ci_low) and pd.notna(r.ci_high):
            text += f" (95% CI {fmt(float(r.ci_low), digits)} to {fmt(float(r.ci_high), digits)})"
        numbers[f"comp_{r.comparator_id.lower()}"] = text
    return numbers


def protocol_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Single-valued protocol facts for the protocol chapters: the CAPS-5 entry thresholds (`mapp1_caps_min`...)."""
    protocol = tables["protocol"]
    numbers = {}
    for r in protocol[protocol.element == "inclusion_caps5_minimum"].itertuples():
        numbers[f"{r.trial_id.lower()}_caps_min"] = str(int(r.value_min))
    return numbers


def vote_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The recorded votes of the regulatory_events table, keyed by body and question (vote order in the day)."""
    events = tables["regulatory_events"]
    votes = events[events.event_type == "vote"].sort_values("date", kind="stable")  # same-day votes keep file order
    prefixes = {"FDA Psychopharmacologic Drugs Advisory Committee": "pdac", "ICER New England CEPAC": "cepac"}
    numbers: dict[str, str] = {}
    for body, group in votes.groupby("body", sort=False):
        prefix = prefixes.get(body)
        if prefix is None:
            continue
        for i, r in enumerate(group.itertuples(), start=1):
            numbers[f"{prefix}_vote{i}_yes"] = str(int(r.votes_yes))
            numbers[f"{prefix}_vote{i}_no"] = str(int(r.votes_no))
    return numbers


def critique_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Numbers for the critique chapter: the votes, and the loss-of-diagnosis figures its headline exercise tests."""
    numbers = vote_numbers(tables)
    responders = responder_numbers(tables)
    numbers.update({k: v for k, v in responders.items() if k.startswith("mapp1_lod_")})
    return numbers


def _dropdown(title: str, lines: list[str]) -> str:
    return "\n".join([f"```{{dropdown}} {title}", *lines, "```"])


def forest_description(tables: dict[str, pd.DataFrame]) -> str:
    """A text description of the forest plot, for readers who cannot see it."""
    effects = analysis.trial_effects(tables)
    pooled = analysis.pool(effects)
    lines = [f"- {e.trial_id} ({e.treatment_arm} vs {e.control_arm}): g = {fmt(e.g)}, 95% CI {fmt(e.ci_low)} to {fmt(e.ci_high)}."
             for e in effects.itertuples()]
    lines.append(f"- Pooled (random effects): g = {fmt(pooled.estimate)}, 95% CI {fmt(pooled.ci_low)} to {fmt(pooled.ci_high)}; "
                 f"prediction interval {fmt(pooled.pi_low)} to {fmt(pooled.pi_high)}.")
    return _dropdown("Text description of the forest plot", lines)


def arm_changes_description(tables: dict[str, pd.DataFrame]) -> str:
    frame = arm_changes(tables)
    lines = [f"- {r.trial_id}, {r.arm} ({r.measure}): {fmt(r.estimate, 1)} points, 95% CI {fmt(r.ci_low, 1)} to {fmt(r.ci_high, 1)}."
             for r in frame.itertuples()]
    return _dropdown("Text description of the chart of changes per arm", lines)


def timeline_description(tables: dict[str, pd.DataFrame], bibliography: dict[str, dict]) -> str:
    events = timeline_events(tables, bibliography).sort_values("date")
    lines = [f"- {e.date:%Y-%m-%d} ({e.kind}): {e.label}" for e in events.itertuples()]
    return _dropdown("Text description of the timeline", lines)


def _merge(*functions):
    def numbers(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
        out: dict[str, str] = {}
        for function in functions:
            out.update(function(tables))
        return out
    return numbers


#: The numbers each page glues, by docname: every notebook's glue cell calls page_numbers with its own docname,
#: and the glue test checks the built pages against the same functions.
NUMBERS_BY_PAGE = {
    "book/foundations/ptsd": _merge(comparator_numbers, protocol_numbers),
    "book/protocol/screening": protocol_numbers,
    "book/protocol/dosing": safety_numbers,
    "book/protocol/integration": lambda tables: arm_change_numbers(tables, "MAPP1", "mapp1_caps"),
    "book/evidence/landscape": landscape_numbers,
    "book/evidence/efficacy": efficacy_numbers,
    "book/evidence/response": responder_numbers,
    "book/evidence/safety": safety_numbers,
    "book/evidence/critique": critique_numbers,
    "book/risks/beyond": lambda tables: arm_means(tables, "MAPP1", "BDI-II", "mapp1_bdi"),
}


def page_numbers(tables: dict[str, pd.DataFrame], docname: str) -> dict[str, str]:
    """Every number a page glues, computed from the data."""
    return NUMBERS_BY_PAGE[docname](tables)
