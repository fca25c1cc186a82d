"""Derived numbers for the evidence chapters: effect sizes, the random-effects pool, risk differences, NNT.

Effect sizes and pooling use statsmodels (`effectsize_smd`, `effectsize_2proportions`, `combine_effects`);
this module only chooses the inputs from the data and adds the few standard formulas statsmodels does
not provide (an SD recovered from a confidence interval, the prediction interval, NNT from a risk difference).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions, effectsize_smd

Z95 = stats.norm.ppf(0.975)
CONTROL_TYPES = ("inactive placebo", "active placebo")


def sd_from_ci(ci_low: float, ci_high: float, n: int) -> float:
    """Standard deviation recovered from the 95% CI of a mean (large-sample: SE = width / 3.92, SD = SE * sqrt(n))."""
    return (ci_high - ci_low) / (2 * Z95) * math.sqrt(n)


def primary_comparison(arms: pd.DataFrame, trial_id: str) -> tuple[str, str]:
    """(treatment arm, control arm): the highest-dose MDMA arm against the placebo arm, or against the
    lowest-dose arm when the trial compared doses."""
    own = arms[arms.trial_id == trial_id]
    mdma = own[own.arm_type == "mdma"].sort_values("initial_dose_mg")
    controls = own[own.arm_type.isin(CONTROL_TYPES)]
    treatment = mdma.arm.iloc[-1]
    control = controls.arm.iloc[0] if len(controls) else mdma.arm.iloc[0]
    return treatment, control


@dataclass(frozen=True)
class ArmSummary:
    mean: float
    sd: float
    n: int
    kind: str  # "mean change" or "endpoint mean"
    sd_derived: bool  # True when the SD was recovered from a CI


def arm_summary(outcomes: pd.DataFrame, trial_id: str, arm: str, measure: str, timepoint: str) -> ArmSummary | None:
    """The best available summary of one arm at one time point: a mean change with its SD (or the SD
    recovered from the CI of an LS mean change), else an endpoint mean with its SD."""
    rows = outcomes[(outcomes.trial_id == trial_id) & (outcomes.arm == arm) & (outcomes.measure == measure)
                    & (outcomes.timepoint == timepoint) & outcomes.estimate.notna()]
    endpoint_n = rows[rows.estimate_type == "endpoint mean"].n.dropna()
    for kind in ("mean change", "LS mean change"):
        row = rows[rows.estimate_type == kind]
        if len(row) != 1:
            continue
        row = row.iloc[0]
        n = row.n if pd.notna(row.n) else (endpoint_n.iloc[0] if len(endpoint_n) else pd.NA)
        if pd.isna(n):
            continue
        if pd.notna(row.sd):
            return ArmSummary(float(row.estimate), float(row.sd), int(n), "mean change", False)
        if pd.notna(row.ci_low) and pd.notna(row.ci_high):
            return ArmSummary(float(row.estimate), sd_from_ci(float(row.ci_low), float(row.ci_high), int(n)), int(n),
                              "mean change", True)
    row = rows[(rows.estimate_type == "endpoint mean") & rows.sd.notna() & rows.n.notna()]
    if len(row) == 1:
        row = row.iloc[0]
        return ArmSummary(float(row.estimate), float(row.sd), int(row.n), "endpoint mean", False)
    return None


def primary_timepoint(outcomes: pd.DataFrame, trial_id: str, measure: str) -> str | None:
    """The time point labelled as the primary endpoint for a trial and measure."""
    labels = outcomes[(outcomes.trial_id == trial_id) & (outcomes.measure == measure)].timepoint
    primary = sorted({t for t in labels if t.startswith("primary endpoint") and "intent-to-treat" not in t})
    return primary[0] if primary else None


def trial_effects(tables: dict[str, pd.DataFrame], measures=("CAPS-5", "CAPS-IV")) -> pd.DataFrame:
    """One standardised mean difference (Hedges' g, positive favours MDMA) per trial on its primary PTSD
    measure at its primary endpoint, computed with statsmodels' effectsize_smd."""
    trials, arms, outcomes = tables["trials"], tables["arms"], tables["outcomes"]
    rows = []
    for trial in trials.itertuples():
        measure = trial.primary_measure if pd.notna(trial.primary_measure) and trial.primary_measure in measures else None
        if measure is None:
            continue
        timepoint = primary_timepoint(outcomes, trial.trial_id, measure)
        if timepoint is None:
            continue
        treatment, control = primary_comparison(arms, trial.trial_id)
        t = arm_summary(outcomes, trial.trial_id, treatment, measure, timepoint)
        c = arm_summary(outcomes, trial.trial_id, control, measure, timepoint)
        if t is None or c is None or t.kind != c.kind:
            continue
        # control first: a larger fall with MDMA (more negative change, or lower endpoint) gives a positive g
        g, var = effectsize_smd(c.mean, c.sd, c.n, t.mean, t.sd, t.n)
        rows.append({
            "trial_id": trial.trial_id, "phase": trial.phase, "status": trial.status, "measure": measure,
            "timepoint": timepoint, "treatment_arm": treatment, "control_arm": control, "basis": t.kind,
            "sd_from_ci": t.sd_derived or c.sd_derived, "n_treatment": t.n, "n_control": c.n,
            "g": float(g), "var": float(var), "se": math.sqrt(float(var)),
            "ci_low": float(g) - Z95 * math.sqrt(float(var)), "ci_high": float(g) + Z95 * math.sqrt(float(var)),
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Pooled:
    k: int
    estimate: float
    ci_low: float
    ci_high: float
    se: float
    tau2: float
    i2: float
    pi_low: float
    pi_high: float
    q: float
    p_q: float


def prediction_interval(estimate: float, se: float, tau2: float, k: int, level: float = 0.95) -> tuple[float, float]:
    """The random-effects prediction interval (Higgins, Thompson and Spiegelhalter 2009):
    estimate ± t(k-2) * sqrt(tau² + se²). Undefined (NaN) for fewer than three studies."""
    if k < 3:
        return math.nan, math.nan
    half = stats.t.ppf(0.5 + level / 2, k - 2) * math.sqrt(tau2 + se**2)
    return estimate - half, estimate + half


def pool(effects: pd.DataFrame, method_re: str = "iterated") -> Pooled:
    """Random-effects pooled estimate with statsmodels' combine_effects.

    The default is the Paule-Mandel estimator of tau² (``method_re="iterated"``). statsmodels 0.15's
    DerSimonian-Laird option (``"chi2"``) does not truncate a negative tau² at zero, which happens here
    (Q below its degrees of freedom) and yields no standard error; Paule-Mandel keeps tau² >= 0.
    I² is reported as max(0, (Q - df) / Q), its definition; statsmodels returns the untruncated value."""
    # identical studies give Q = 0, where statsmodels divides by zero computing I²; I² is then 0 by definition
    with np.errstate(divide="ignore", invalid="ignore"):
        res = combine_effects(effects["g"].to_numpy(), effects["var"].to_numpy(), method_re=method_re)
    frame = res.summary_frame()
    re_row = frame.loc["random effect"]
    estimate, se = float(re_row["eff"]), float(re_row["sd_eff"])
    tau2 = float(res.tau2)
    k = len(effects)
    pi_low, pi_high = prediction_interval(estimate, se, tau2, k)
    return Pooled(k=k, estimate=estimate, ci_low=float(re_row["ci_low"]), ci_high=float(re_row["ci_upp"]), se=se,
                  tau2=tau2, i2=max(0.0, float(res.i2)), pi_low=pi_low, pi_high=pi_high, q=float(res.q),
                  p_q=float(stats.chi2.sf(res.q, k - 1)) if k > 1 else math.nan)


def leave_one_out(effects: pd.DataFrame) -> pd.DataFrame:
    """The pooled estimate with each trial left out in turn."""
    rows = []
    for trial_id in effects.trial_id:
        p = pool(effects[effects.trial_id != trial_id])
        rows.append({"left_out": trial_id, "estimate": p.estimate, "ci_low": p.ci_low, "ci_high": p.ci_high,
                     "tau2": p.tau2, "i2": p.i2})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RiskDifference:
    rd: float
    ci_low: float
    ci_high: float
    nnt: float  # number needed to treat (benefit) or harm; inf when rd == 0
    nnt_ci: tuple[float, float]  # may contain inf when the CI of rd crosses zero


def risk_difference(events_t: int, total_t: int, events_c: int, total_c: int) -> RiskDifference:
    """Risk difference (treatment minus control) with a Wald 95% CI from statsmodels, and the NNT."""
    rd, var = effectsize_2proportions(events_t, total_t, events_c, total_c, statistic="diff")
    rd, se = float(rd), math.sqrt(float(var))
    low, high = rd - Z95 * se, rd + Z95 * se
    return RiskDifference(rd, low, high, nnt(rd), nnt_interval(low, high))


def nnt(rd: float) -> float:
    """Number needed to treat: 1 / |risk difference|, infinite when the difference is zero."""
    return math.inf if rd == 0 else 1 / abs(rd)


def nnt_interval(rd_low: float, rd_high: float) -> tuple[float, float]:
    """The NNT's CI from the risk difference's CI (Altman 1998); when it crosses zero the interval runs
    through infinity, returned as (inf, inf) to mark it as unbounded."""
    if rd_low <= 0 <= rd_high:
        return math.inf, math.inf
    a, b = sorted((1 / abs(rd_low), 1 / abs(rd_high)))
    return a, b


def fmt(x: float, digits: int = 2) -> str:
    """A number as the book prints it: a true minus sign, fixed decimals."""
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    text = f"{x:.{digits}f}"
    return text.replace("-", "−")


__all__ = ["sd_from_ci", "primary_comparison", "arm_summary", "trial_effects", "pool", "prediction_interval",
           "leave_one_out", "risk_difference", "nnt", "nnt_interval", "fmt", "Pooled", "RiskDifference"]

