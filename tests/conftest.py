"""Shared fixtures: the real MiniLM model and a real index of the seeds, built once per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
# hypothesis keeps caches in ./.hypothesis unless told otherwise; tests never write into the work tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "regbot-hypothesis"))

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test writes indexes and databases under a temporary data directory, never the user's."""
    path = tmp_path_factory.mktemp("regbot-data")
    os.environ["REGBOT_DATA_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def embedder():
    from index.embedding import load_embedder

    return load_embedder("all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def news_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five news articles alone, with their metadata: an English corpus, indexed with MiniLM in seconds."""
    target = tmp_path_factory.mktemp("news")
    for path in [*SEEDS.glob("*.txt"), SEEDS / "metadata.json"]:
        shutil.copy(path, target)
    return target


@pytest.fixture(scope="session")
def seeds_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder, data_dir: Path, news_dir: Path) -> Path:
    """The index of the news articles (MiniLM)."""
    from index.builder import build_index

    index_dir = tmp_path_factory.mktemp("seeds-index") / "index"
    # The ONNX export lands where every later build of the session (subprocesses too) finds it.
    build_index(news_dir, index_dir, model_cache=data_dir / "models")
    return index_dir


@pytest.fixture(scope="session")
def retriever(seeds_index_dir: Path):
    from index.retriever import Retriever

    return Retriever.load(seeds_index_dir)


@pytest.fixture(scope="session")
def kb(data_dir: Path):
    """The default knowledge base, news and laws (multilingual e5), built once where `answer()`, `retrieve()`
    and the CLI look for it: what users get."""
    from index.default import default_retriever

    return default_retriever()


@pytest.fixture
def corpus_copy(tmp_path: Path, news_dir: Path) -> Path:
    """A writable copy of the news corpus, for tests that add, change or remove documents."""
    target = tmp_path / "corpus"
    shutil.copytree(news_dir, target)
    return target
