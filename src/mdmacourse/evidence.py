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
