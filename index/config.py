"""One settings dataclass for the whole of regbot.

Library functions take keyword arguments with defaults; only entry points (the CLI, the Slack server, the
benchmark) build a `Settings`, from the environment (``REGBOT_<FIELD>``) and then from CLI flags::

    settings = Settings.from_env()                     # REGBOT_DATA_DIR, REGBOT_CHUNK_TOKENS, ...
    settings = dataclasses.replace(settings, k=10)     # a CLI flag wins over the environment
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "REGBOT_"


def default_data_dir() -> Path:
    """Indexes, caches, SQLite files and benchmark outputs live here, outside version control."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "regbot"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    corpus_dir: Path = REPO_ROOT / "seeds"
    # "auto": MiniLM for an English corpus, multilingual-e5-small as soon as one document is not English.
    model: str = "auto"
    # How the model runs when an index is built (queries use what built the index): "onnx" (ONNX Runtime,
    # fp32, exported once into <data_dir>/models), "onnx-int8" (faster, slightly different vectors) or "torch".
    encoder: str = "onnx"
    # Chunking: the embedder's limit in word pieces (special tokens included) and sentences shared by neighbours.
    chunk_tokens: int = 256
    overlap_sentences: int = 1
    # Above this many chunks the vector store switches from exact search to HNSW.
    ann_threshold: int = 50_000
    # Retrieval pipeline (see index/retriever.py for what each knob does).
    fusion: str = "weighted"
    dense_weight: float = 0.35
    candidates: int = 100
    rescore_weight: float = 0.5
    named_boost: float = 0.3
    in_force_boost: float = 0.5
    latent_weight: float = 0.2
    k: int = 5
    # Answering.
    max_quotes: int = 3
    # Below this estimated probability that the answer is right, abstain; None: the answerability model's own
    # operating point (bot/engine/answerability.json, chosen per embedding model).
    abstain_threshold: float | None = None
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 20.0
    # Slack.
    feedback_db: Path | None = None
    workers: int = 4
    # Longer questions are cut to this many characters before any model work, and the asker is told.
    max_question_chars: int = 4000
    # Stored questions and answers lose their text after this many days; the votes on them are kept.
    retention_days: int = 90

    def __post_init__(self) -> None:
        # Checked here, so that a bad value from the environment or a flag fails before minutes of building,
        # and by name, instead of as answers that silently refuse everything (a NaN threshold or weight).
        for name, (low, high) in _BOUNDS.items():
            value = getattr(self, name)
            if value is None or (math.isfinite(value) and low <= value <= (math.inf if high is None else high)):
                continue
            allowed = f"within [{low}, {high}]" if high is not None else f"a finite number >= {low}"
            raise ValueError(f"{name}={value!r} must be {allowed} ({ENV_PREFIX}{name.upper()} or its flag)")

    @property
    def index_dir(self) -> Path:
        """The default index of ``corpus_dir``: one per corpus folder and model, under the data directory.

        The folder's name is followed by a digest of its full path: two corpora both called ``docs`` must not
        share one index, or a bot serving one would reload the index built for the other. Another model gets
        its own folder, so switching models back and forth does not rebuild the same index each time.
        """
        corpus = self.corpus_dir.resolve()
        name = f"{corpus.name}-{hashlib.sha256(str(corpus).encode()).hexdigest()[:8]}"
        default_model = next(f.default for f in dataclasses.fields(self) if f.name == "model")
        return self.data_dir / "indexes" / (name if self.model == default_model else f"{name}--{self.model}")

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or self.data_dir / "feedback.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then ``REGBOT_<FIELD>`` variables, then ``overrides`` (e.g. CLI flags that were given)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


# The allowed range of each numeric setting (None: no upper bound).
_BOUNDS: dict[str, tuple[float, float | None]] = {
    "chunk_tokens": (8, None),
    "overlap_sentences": (0, None),
    "ann_threshold": (1, None),
    "dense_weight": (0, 1),
    "candidates": (1, None),
    "rescore_weight": (0, 1),
    "named_boost": (0, None),
    "in_force_boost": (0, None),
    "latent_weight": (0, None),
    "k": (1, None),
    "max_quotes": (1, None),
    "abstain_threshold": (0, 1),
    "llm_timeout": (0.001, None),
    "workers": (1, None),
    "max_question_chars": (1, None),
    "retention_days": (1, None),
}


def _convert(name: str, type_name: object, raw: str) -> object:
    kind = str(type_name)
    try:
        if "Path" in kind:
            return Path(raw).expanduser()
        if kind == "int":
            return int(raw)
        if "float" in kind:
            return float(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from None
    return raw
