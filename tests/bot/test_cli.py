"""The regbot command: bad input is rejected before any index or model is touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [["ask", ""], ["ask", " \t"], ["search", "Didi", "-k", "0"], ["search", ""]])
def test_cli_rejects_bad_input_before_building_or_loading_anything(argv: list[str], tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(tmp_path / "data"), *argv],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("regbot: error:") and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()  # no index was built, so no model was loaded
