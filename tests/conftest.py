"""Shared fixtures: the real MiniLM model and a real index of the seeds, built once per test session."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
# hypothesis keeps caches in ./.hypothesis unless told otherwise; tests never write into the work tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "regbot-hypothesis"))

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"

# Property tests: the same examples on every run (a CI failure can be replayed), no example database written
# into the work tree, no deadline (2 shared cores make timings noisy). `pytest --hypothesis-profile=explore`
# draws new examples on each run.
settings.register_profile("regbot", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", database=None, deadline=None, print_blob=True)
settings.load_profile("regbot")


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


SMALL_CORPUS = {
    "didi.txt": "Didi fined\n\nDidi was fined 8.026 billion yuan for violating data security rules. "
                "The regulator said the breaches were serious.\n",
    "pipl.txt": "PIPL takes effect\n\nThe Personal Information Protection Law took effect on November 1, 2021. "
                "It governs how companies collect personal data.\n",
    "export.md": "# Data export\n\nMoving core data abroad without approval is punished with fines of up to "
                 "10 million yuan. 第三十一条 关键信息基础设施的运营者在境内收集的重要数据应当在境内存储。\n",
}


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("small") / "corpus"
    corpus.mkdir()
    for name, text in SMALL_CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def small_index(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    from index.builder import build_index

    index_dir = tmp_path_factory.mktemp("small-index") / "index"
    build_index(small_corpus, index_dir)
    return index_dir


@pytest.fixture
def small_index_copy(small_index: Path, tmp_path: Path) -> Path:
    """A writable copy of the small index (its manifest still names the small corpus)."""
    target = tmp_path / "index"
    shutil.copytree(small_index, target)
    return target


def run_repair_command(error: Exception, corpus: Path) -> int:
    """Run the command that an index-damage error names, as a user would paste it (DIR being their corpus)."""
    from bot.cli import main

    command = shlex.split(re.search(r"`([^`]*)`", str(error)).group(1))
    assert command[0] == "regbot", command
    return main([str(corpus) if word == "DIR" else word for word in command[1:]])
