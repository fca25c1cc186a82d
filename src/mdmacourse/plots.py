"""Charts for the evidence chapters. Every function draws on an `ax` it is given and returns it; the
style comes from `course.mplstyle`, applied once by `use_style()`."""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .analysis import Pooled

STYLE = Path(__file__).with_name("course.mplstyle")
#: Okabe-Ito colours by role, so a colour means the same thing in every chart.
COLOURS = {"mdma": "#0072B2", "control": "#D55E00", "pooled": "#000000", "phase 3": "#0072B2", "phase 2": "#009E73",
           "retraction": "#D55E00", "regulatory": "#CC79A7", "publication": "#0072B2", "neutral": "#777777"}


def use_style() -> None:
    plt.style.use(STYLE)


def _label(text: str, width: int = 48) -> str:
    """Wrap an axis label: a label wider than its axes would widen the saved figure (the PNG is cropped to
    its contents) and so shrink every letter when the figure is fitted to the PDF's text width."""
    return textwrap.fill(text, width)


def forest(ax, effects: pd.DataFrame, pooled: Pooled | None = None, label: str = "trial_id"):
    """A forest plot: one row per trial (square sized by weight), the pooled diamond and its prediction interval."""
    rows = effects.reset_index(drop=True)
    n = len(rows)
    weights = 1 / rows["var"]
    sizes = 30 + 170 * weights / weights.max()
    for i, row in rows.iterrows():
        y = n - i
        colour = COLOURS["phase 3"] if row.get("phase") == 3 else COLOURS["phase 2"]
        ax.plot([row.ci_low, row.ci_high], [y, y], color=colour)
        ax.scatter([row.g], [y], s=sizes[i], marker="s", color=colour, zorder=3)
    labels = list(rows[label])
    ticks = list(range(n, 0, -1))
    if pooled is not None:
        y = -0.2
        ax.fill([pooled.ci_low, pooled.estimate, pooled.ci_high, pooled.estimate], [y, y + 0.3, y, y - 0.3],
                color=COLOURS["pooled"], zorder=3)
        if pooled.pi_low == pooled.pi_low:  # not NaN
            ax.plot([pooled.pi_low, pooled.pi_high], [y, y], color=COLOURS["pooled"], linewidth=1, linestyle=(0, (2, 2)))
        labels.append("Pooled (random effects)")
        ticks.append(y)
    ax.axvline(0, color=COLOURS["neutral"], linewidth=1)
    ax.set_yticks(ticks, labels)
    ax.set_ylim(-1, n + 0.8)
    ax.set_xlabel(_label("standardised mean difference (Hedges' g); positive favours MDMA"))
    ax.grid(axis="y", visible=False)
    return ax


def comparators(ax, table: pd.DataFrame, mdma: Pooled):
    """Context chart: effect sizes of established treatments next to the pooled MDMA estimate."""
    rows = table.reset_index(drop=True)
    n = len(rows)
    for i, row in rows.iterrows():
        y = n - i
        colour = COLOURS["control"] if row.treatment_class in ("SSRI", "SNRI") else COLOURS["phase 2"]
        if pd.notna(row.ci_low):
            ax.plot([row.ci_low, row.ci_high], [y, y], color=colour)
        ax.scatter([row.estimate], [y], color=colour, zorder=3)
    ax.plot([mdma.ci_low, mdma.ci_high], [0, 0], color=COLOURS["mdma"])
    ax.scatter([mdma.estimate], [0], marker="D", color=COLOURS["mdma"], zorder=3)
    ax.set_yticks(list(range(n, 0, -1)) + [0], list(rows.label) + ["MDMA-AT vs placebo with therapy (pooled)"])
    ax.axvline(0, color=COLOURS["neutral"], linewidth=1)
    ax.set_ylim(-0.8, n + 0.8)
    ax.set_xlabel(_label("standardised mean difference; positive favours the treatment"))
    ax.grid(axis="y", visible=False)
    return ax


def timeline(ax, events: pd.DataFrame):
    """Events in date order on one time axis, one row per kind of event."""
    kinds = list(dict.fromkeys(events.kind))
    for row, kind in enumerate(kinds):
        own = events[events.kind == kind]
        ax.scatter(pd.to_datetime(own.date), [row] * len(own), s=45, color=COLOURS.get(own.colour.iloc[0], "#777777"),
                   zorder=3)
    ax.set_yticks(range(len(kinds)), kinds)
    ax.set_ylim(-0.7, len(kinds) - 0.3)
    ax.grid(axis="x")
    ax.set_xlabel(_label("year"))
    return ax


def sample_sizes(ax, trials: pd.DataFrame):
    """Horizontal bars: participants randomised per trial, coloured by phase."""
    rows = trials[trials.n_randomized.notna()].sort_values("n_randomized").reset_index(drop=True)
    colours = [COLOURS["phase 3"] if pd.notna(p) and p == 3 else COLOURS["phase 2"] for p in rows.phase]
    ax.barh(rows.trial_id, rows.n_randomized, color=colours)
    for y, n in enumerate(rows.n_randomized):
        ax.text(n + 1, y, str(n), va="center", fontsize=10)
    ax.set_xlabel(_label("participants randomised"))
    ax.grid(axis="y", visible=False)
    return ax


def arm_changes(ax, frame: pd.DataFrame):
    """Each arm's change from baseline with its 95% CI, trials stacked, MDMA arms in blue."""
    rows = frame.reset_index(drop=True)
    n = len(rows)
    labels = []
    for i, r in rows.iterrows():
        y = n - i
        colour = COLOURS["mdma"] if r.arm_type == "mdma" else COLOURS["control"]
        ax.plot([r.ci_low, r.ci_high], [y, y], color=colour)
        ax.scatter([r.estimate], [y], color=colour, zorder=3, marker="o" if r.arm_type == "mdma" else "s")
        labels.append(f"{r.trial_id}: {r.arm} ({r.measure})")
    ax.set_yticks(list(range(n, 0, -1)), labels)
    ax.axvline(0, color=COLOURS["neutral"], linewidth=1)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_xlabel(_label("change from baseline in CAPS total score (points); negative = fewer symptoms"))
    ax.grid(axis="y", visible=False)
    return ax


def dumbbell(ax, contrasts: pd.DataFrame, label: str, xlabel: str):
    """Dumbbell chart: the comparison arm's proportion (square) joined to the MDMA arm's (circle), one row
    per contrast, labelled by trial and the `label` column."""
    rows = contrasts.reset_index(drop=True)
    n = len(rows)
    for i, r in rows.iterrows():
        y = n - i
        ax.plot([r.p_c * 100, r.p_t * 100], [y, y], color=COLOURS["neutral"], linewidth=1.2)
        ax.scatter([r.p_c * 100], [y], marker="s", color=COLOURS["control"], zorder=3)
        ax.scatter([r.p_t * 100], [y], marker="o", color=COLOURS["mdma"], zorder=3)
    ax.set_yticks(list(range(n, 0, -1)), [f"{r.trial_id}: {r[label]}" for _, r in rows.iterrows()])
    ax.set_xlim(-3, 103)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_xlabel(_label(xlabel))
    ax.grid(axis="y", visible=False)
    return ax


def responders(ax, contrasts: pd.DataFrame):
    """Proportion meeting each response definition in the MDMA and comparison arms of each trial."""
    return dumbbell(ax, contrasts, "definition",
                    "participants meeting the definition (%); circle = MDMA arm, square = comparison arm")


def adverse_events(ax, contrasts: pd.DataFrame):
    """Adverse-event incidence in the MDMA and comparison arms of each trial."""
    return dumbbell(ax, contrasts, "event", "participants with the event (%); circle = MDMA arm, square = comparison arm")

def dose_response(ax, frame: pd.DataFrame):
    """Proportion responding by randomised dose, one line per dose-comparison trial."""
    palette = [COLOURS["phase 2"], COLOURS["regulatory"], COLOURS["mdma"]]
    for colour, (trial_id, group) in zip(palette, frame.groupby("trial_id")):
        ax.plot(group.dose_mg, group.p * 100, marker="o", color=colour, label=trial_id)
        for r in group.itertuples():
            ax.annotate(f"{r.events}/{r.total}", (r.dose_mg, r.p * 100), textcoords="offset points", xytext=(6, -12),
                        fontsize=9)
    ax.set_xlabel(_label("randomised MDMA dose per session (mg, initial dose)"))
    ax.set_ylabel("responders (%)")
    ax.set_ylim(0, 105)
    ax.grid(axis="both")
    ax.legend(loc="lower right")
    return ax


def _dose(arm: str) -> float:
    import re
    found = re.search(r"(\d+(?:\.\d+)?) ?mg", arm)
    return float(found.group(1)) if found else 0.0


def follow_up(axes, frame: pd.DataFrame):
    """Mean CAPS score by stage, one panel per trial and one line per arm: solid while the randomised comparison
    lasted, dashed after it (crossover or open-label treatment), so the uncontrolled part looks different."""
    from .evidence import FOLLOW_UP_STAGES
    for ax, (trial_id, group) in zip(axes, frame.groupby("trial_id")):
        # comparison arm vermillion, pooled arms grey, MDMA arms blue then green (highest first)
        others = iter([COLOURS["mdma"], COLOURS["phase 2"], COLOURS["regulatory"]])
        arms = sorted(group.arm.unique(), key=lambda a: (a == "all arms", -_dose(a)))
        for arm in arms:
            line = group[group.arm == arm].sort_values("order")
            role = line.arm_type.iloc[0]
            colour = (COLOURS["neutral"] if role == "pooled" else next(others) if role == "mdma"
                      else COLOURS["control"])
            # solid up to the last controlled stage, dashed from there on (crossover or open-label treatment)
            controlled = line[line.controlled]
            after = line[line.order >= controlled.order.max()] if len(controlled) else line
            if len(controlled):
                ax.plot(controlled.order, controlled["mean"], color=colour, marker="o", label=arm)
            if len(after) > 1:
                ax.plot(after.order, after["mean"], color=colour, marker="o", linestyle="--",
                        label=None if len(controlled) else arm)
        present = sorted(group.order.unique())
        ax.set_xticks(present, [FOLLOW_UP_STAGES[i].replace(" ", "\n", 1) for i in present])
        ax.set_xlim(min(present) - 0.4, max(present) + 0.4)
        ax.set_ylim(0, 100)
        ax.set_ylabel(f"mean {group.measure.iloc[0]} total score")
        ax.text(0.02, 0.02, trial_id, transform=ax.transAxes, fontweight="bold")
        ax.grid(axis="y")
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper right")
    return axes


def session_day(ax, frame: pd.DataFrame):
    """The dosing-session day of each trial on one time axis (hours from the initial dose): the session as a bar,
    the supplemental-dose windows as thick orange bars (one per source), the initial dose as a triangle; what is
    not published is drawn as a hatched grey bar and says so."""
    trials = list(dict.fromkeys(frame.trial_id))
    box = {"facecolor": "white", "edgecolor": "none", "pad": 1}
    for i, trial_id in enumerate(trials):
        y = len(trials) - i
        own = frame[frame.trial_id == trial_id]
        length = own[own.element == "session length"].iloc[0]
        end = length.end if length.found else 8.0
        if length.found:
            ax.barh(y, end, left=0, height=0.36, color="#dde8f3", edgecolor=COLOURS["mdma"])
        else:
            ax.barh(y, end, left=0, height=0.36, color="white", edgecolor=COLOURS["neutral"], hatch="///")
            ax.text(4, y + 0.3, "session length not published", ha="center", fontsize=9, bbox=box)
        windows = own[(own.element == "supplemental dose window") & own.found]
        for j, w in enumerate(windows.itertuples()):
            offset = (j - (len(windows) - 1) / 2) * 0.12
            ax.plot([w.start, w.end], [y + offset, y + offset], color=COLOURS["control"], linewidth=5,
                    solid_capstyle="butt")
        if len(windows):
            ax.text(windows.start.min(), y - 0.36, "supplemental half-dose window", fontsize=9, bbox=box)
        ax.scatter([0], [y], marker="v", s=70, color=COLOURS["pooled"], zorder=4)
        stay = own[own.element == "overnight stay"].iloc[0]
        stay_text = "overnight stay" + ("\n(registry condition)" if str(stay.get("text", "")).startswith("registry") else "")
        label = (("session ends;\n" if length.found else "") + stay_text) if stay.found else (
            "session ends" if length.found else "overnight stay:\nnot published")
        ax.text(end + 0.15, y, label, va="center", fontsize=9)
    ax.set_yticks(list(range(len(trials), 0, -1)), trials)
    ax.set_xlim(-0.3, 10.5)
    ax.set_ylim(0.4, len(trials) + 0.6)
    ax.set_xticks(range(0, 9))
    ax.set_xlabel(_label("hours after the initial dose (triangle)"))
    ax.grid(axis="y", visible=False)
    return ax


def regulatory_timeline(ax, events: pd.DataFrame):
    """Regulatory events on one time axis, one row per region, coloured by kind of event (legend below)."""
    regions = ["International", "United States", "Canada", "Europe", "Israel", "Australia"]
    regions = [r for r in regions if r in set(events.region)]
    markers = iter(["o", "s", "D", "^", "v", "P"])  # shape as well as colour tells the kinds apart
    for kind, own in events.groupby("kind", sort=False):
        ys = [len(regions) - 1 - regions.index(r) for r in own.region]
        ax.scatter(pd.to_datetime(own.date), ys, s=40, color=COLOURS.get(own.colour.iloc[0], "#777777"), label=kind,
                   marker=next(markers), zorder=3, alpha=0.9, edgecolor="white", linewidth=0.5)
    ax.set_yticks(range(len(regions)), list(reversed(regions)))
    ax.set_ylim(-0.7, len(regions) - 0.3)
    ax.grid(axis="x")
    ax.set_xlabel(_label("year"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.22), ncol=2, fontsize=9)
    return ax
