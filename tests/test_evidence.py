"""The chapters' derived tables, checked on the real data and on small hand-made cases (quick)."""
from __future__ import annotations

import pytest

from mdmacourse import data, evidence


@pytest.fixture(scope="module")
def tables(root):
    return data.load(root / "book" / "data")


@pytest.mark.parametrize("timepoint, stage", [
    ("baseline", "baseline"),
    ("primary endpoint (2 months after experimental session 2)", "primary endpoint"),
    ("study exit (end of the original study)", "study exit"),
    ("12-month follow-up after the last MDMA session", "long-term follow-up"),
    ("treatment session 2", None),
])
def test_timepoints_map_to_follow_up_stages(timepoint, stage):
    assert evidence._stage(timepoint) == stage


def test_follow_up_keeps_only_trials_with_a_long_term_row_and_marks_the_uncontrolled_stages(tables):
    frame = evidence.follow_up(tables)
    outcomes = tables["outcomes"]
    with_follow_up = {t for t, tp in zip(outcomes.trial_id, outcomes.timepoint) if evidence._stage(tp) == "long-term follow-up"}
    assert set(frame.trial_id) == with_follow_up and with_follow_up
    assert not frame[frame.stage.isin(["study exit", "long-term follow-up"])].controlled.any()
    assert frame[frame.stage.isin(["baseline", "primary endpoint"])].controlled.all()
    # every plotted mean is a value in the outcomes table, never a derived one
    for r in frame.itertuples():
        source = outcomes[(outcomes.trial_id == r.trial_id) & (outcomes.arm == r.arm) & (outcomes.timepoint == r.timepoint)]
        assert r.mean in set(source.estimate.astype(float)), r


def test_a_trial_without_follow_up_rows_is_left_out(tables):
    copy = dict(tables)
    outcomes = tables["outcomes"]
    copy["outcomes"] = outcomes[outcomes.timepoint.map(evidence._stage) != "long-term follow-up"]
    assert evidence.follow_up(copy).empty


def test_responder_contrasts_recompute_from_the_counts(tables):
    contrasts = evidence.responder_contrasts(tables)
    assert len(contrasts)
    for r in contrasts.itertuples():
        assert r.p_t == pytest.approx(r.events_t / r.total_t)
        assert r.p_c == pytest.approx(r.events_c / r.total_c)
        assert r.rd == pytest.approx(r.p_t - r.p_c)
