"""Settings: from the environment, with every numeric setting checked before anything is built."""

from __future__ import annotations

import pytest

from index.config import Settings


@pytest.mark.parametrize("name,raw", [
    ("LATENT_WEIGHT", "-1e308"), ("LATENT_WEIGHT", "inf"), ("LLM_TIMEOUT", "nan"), ("LLM_TIMEOUT", "0"),
    ("WORKERS", "0"), ("K", "-1"), ("DENSE_WEIGHT", "1.5"), ("MAX_QUESTION_CHARS", "0"),
])
def test_a_numeric_setting_out_of_range_is_refused_by_name(name, raw):
    with pytest.raises(ValueError, match=f"REGBOT_{name}"):
        Settings.from_env(env={f"REGBOT_{name}": raw})


@pytest.mark.parametrize("name,raw,value", [
    ("LATENT_WEIGHT", "0", 0.0), ("LLM_TIMEOUT", "2.5", 2.5), ("WORKERS", "1", 1), ("ABSTAIN_THRESHOLD", "1", 1.0),
])
def test_a_setting_within_range_is_taken(name, raw, value):
    assert getattr(Settings.from_env(env={f"REGBOT_{name}": raw}), name.lower()) == value


def test_the_defaults_are_within_range():
    assert Settings() == Settings.from_env(env={})
