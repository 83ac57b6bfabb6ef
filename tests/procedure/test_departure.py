from leniency.procedure import check_departure, load_rules


def test_within_range_needs_nothing():
    c = check_departure(
        engine_type="fixed_term",
        engine_range=(10, 14),
        proposed_type="fixed_term",
        proposed_low=12,
        proposed_high=12,
        exclusion_applies=False,
        leniency_granted=False,
    )
    assert not c.departs and not c.needs_reason and not c.needs_approval


def test_small_departure_needs_reason_only():
    c = check_departure(
        engine_type="fixed_term",
        engine_range=(10, 14),
        proposed_type="fixed_term",
        proposed_low=8,
        proposed_high=8,
        exclusion_applies=False,
        leniency_granted=False,
    )
    assert c.departs and c.needs_reason and not c.needs_approval and c.months_outside == 2


def test_departure_beyond_margin_needs_approval_and_margin_is_configurable():
    plist = load_rules().power_list()
    assert plist["departure_approval_margin_months"] == 3
    kwargs = dict(
        engine_type="fixed_term",
        engine_range=(10, 14),
        proposed_type="fixed_term",
        proposed_low=5,
        proposed_high=5,
        exclusion_applies=False,
        leniency_granted=False,
    )
    assert check_departure(**kwargs).needs_approval
    relaxed = check_departure(**kwargs, power_list={"departure_approval_margin_months": 6})
    assert relaxed.needs_reason and not relaxed.needs_approval


def test_other_sentence_type_needs_approval():
    c = check_departure(
        engine_type="fixed_term",
        engine_range=(6, 8),
        proposed_type="detention",
        proposed_low=5,
        proposed_high=5,
        exclusion_applies=False,
        leniency_granted=False,
    )
    assert c.needs_approval


def test_leniency_despite_exclusion_needs_approval():
    c = check_departure(
        engine_type="fixed_term",
        engine_range=(36, 48),
        proposed_type="fixed_term",
        proposed_low=40,
        proposed_high=40,
        exclusion_applies=True,
        leniency_granted=True,
    )
    assert c.needs_approval and not c.departs
    assert any("指导意见 第10条" in r for r in c.reasons)


def test_unknown_power_list_key_is_refused():
    import pytest

    with pytest.raises(KeyError):
        load_rules().power_list({"no_such_key": 1})
