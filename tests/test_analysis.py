"""The analysis module against published values, hand-checked examples and properties (quick)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from mdmacourse import analysis, data


@pytest.fixture(scope="module")
def tables(root):
    return data.load(root / "book" / "data")


def test_sd_from_ci_matches_the_value_a_published_extraction_derived():
    # MAPP2, MDMA arm: LS mean change CI -26.94 to -20.44 with 52 analysed; the Metapsy extraction gives SD 11.957
    assert analysis.sd_from_ci(-26.94, -20.44, 52) == pytest.approx(11.957, abs=0.001)


def test_mapp1_effect_size_reproduces_the_published_d(tables):
    effects = analysis.trial_effects(tables).set_index("trial_id")
    # published Cohen's d 0.91 (abstract); Hedges' g from the completers' mean changes is slightly smaller
    assert effects.loc["MAPP1", "g"] == pytest.approx(0.91, abs=0.02)


def test_effects_favour_mdma_when_mdma_arms_fall_further():
    g, _ = analysis.effectsize_smd(-10, 10, 20, -20, 10, 20)  # control first, as trial_effects does
    assert g > 0


def test_pool_of_identical_studies_is_that_study():
    effects = pd.DataFrame({"trial_id": list("abc"), "g": [0.5, 0.5, 0.5], "var": [0.04, 0.04, 0.04]})
    p = analysis.pool(effects)
    assert p.estimate == pytest.approx(0.5)
    assert p.tau2 == pytest.approx(0) and p.i2 == 0
    # hand-checked: fixed = random here, se = sqrt(0.04 / 3)
    assert p.se == pytest.approx(math.sqrt(0.04 / 3))
    assert p.ci_low == pytest.approx(0.5 - 1.959964 * math.sqrt(0.04 / 3), abs=1e-6)


@pytest.mark.parametrize("gs", [[0.1, 0.9, 1.5], [0.2, 0.3, 2.0, 0.8], [-0.4, 0.6, 0.1, 1.2, 0.9]])
def test_pooled_estimate_lies_between_the_smallest_and_largest_study(gs):
    effects = pd.DataFrame({"trial_id": [str(i) for i in range(len(gs))], "g": gs, "var": [0.05 + 0.02 * i for i in range(len(gs))]})
    p = analysis.pool(effects)
    assert min(gs) <= p.estimate <= max(gs)
    assert p.tau2 >= 0 and 0 <= p.i2 <= 1
    assert p.pi_low <= p.ci_low <= p.estimate <= p.ci_high <= p.pi_high


def test_prediction_interval_formula():
    # Higgins et al. 2009: mu ± t(k-2) sqrt(tau² + se²); k = 5 -> t(3) = 3.182446
    low, high = analysis.prediction_interval(0.5, 0.1, 0.04, 5)
    half = 3.182446 * math.sqrt(0.04 + 0.01)
    assert (low, high) == pytest.approx((0.5 - half, 0.5 + half), abs=1e-5)
    assert all(math.isnan(x) for x in analysis.prediction_interval(0.5, 0.1, 0.04, 2))


def test_risk_difference_and_nnt():
    rd = analysis.risk_difference(30, 50, 15, 50)
    assert rd.rd == pytest.approx(0.3)
    assert rd.nnt == pytest.approx(1 / 0.3)
    assert rd.nnt_ci[0] <= rd.nnt <= rd.nnt_ci[1]


def test_nnt_is_infinite_when_there_is_no_difference():
    assert analysis.nnt(0.0) == math.inf
    assert analysis.nnt_interval(-0.1, 0.2) == (math.inf, math.inf)


def test_fmt_prints_a_true_minus_sign():
    assert analysis.fmt(-0.25) == "−0.25"
    assert analysis.fmt(math.inf) == "∞"
