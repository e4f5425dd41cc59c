"""Reading a fitted-weights file (``answerability.json``, ``ranking.json``): one entry per embedding model.

    entry = fitted_entry(path, "multilingual-e5-small", FEATURES, "scripts/train_answerability.py")
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def fitted_entry(path: Path, embedding_model: str, features: Sequence[str], script: str) -> dict | None:
    """The entry fitted for ``embedding_model`` (None when the file has none), checked to be on ``features``.

    Raises RuntimeError naming ``script``, which refits the file, when it is unreadable or was fitted on other
    features."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))["models"]
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"{path} is unreadable ({exc}); refit it with {script}") from exc
    entry = entries.get(embedding_model)
    if entry is not None and tuple(entry["features"]) != tuple(features):
        raise RuntimeError(f"{path} was fitted on other features; refit it with {script}")
    return entry
