"""scripts/train_answerability.py's handling of the weights file it writes (the fitting itself runs for minutes
and is measured by the script's own report, not here)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from index.config import REPO_ROOT


@pytest.fixture(scope="module")
def script():
    path = REPO_ROOT / "scripts" / "train_answerability.py"
    spec = importlib.util.spec_from_file_location("train_answerability", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refitting_one_model_keeps_the_other_models_entries(script, tmp_path):
    weights = tmp_path / "answerability.json"
    entries = {"all-MiniLM-L6-v2": {"coef": [1.0]}, "multilingual-e5-small": {"coef": [2.0]}}
    weights.write_text(json.dumps({"models": entries}))
    assert script.kept_entries(weights, ["multilingual-e5-small"]) == {"all-MiniLM-L6-v2": {"coef": [1.0]}}
    assert script.kept_entries(tmp_path / "absent.json", ["multilingual-e5-small"]) == {}


def test_a_damaged_weights_file_stops_the_script_before_any_fitting(script, tmp_path):
    weights = tmp_path / "answerability.json"
    weights.write_text("{not json")
    with pytest.raises(SystemExit, match="--out"):
        script.kept_entries(weights, ["multilingual-e5-small"])


def test_an_unknown_model_is_refused_by_name(script, monkeypatch, capsys, tmp_path):
    argv = ["train_answerability.py", "--models", "no-such-model", "--out", str(tmp_path / "w.json")]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        script.main()
    assert stopped.value.code == 2
    assert "no-such-model" in capsys.readouterr().err
    assert not (tmp_path / "w.json").exists()
