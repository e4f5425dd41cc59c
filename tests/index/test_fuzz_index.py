"""Property tests over index directories: any damage to any file is reported as `IndexNotUsable` naming a
command that repairs it, and a build interrupted at any point leaves an index that loads."""

from __future__ import annotations

import json
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index.builder import build_from_documents, build_index
from index.records import Document
from index.retriever import IndexNotUsable, Retriever
from tests.conftest import run_repair_command

QUERY = "How much was Didi fined?"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def index_files(index_dir: Path) -> list[str]:
    return sorted(p.relative_to(index_dir).as_posix() for p in index_dir.rglob("*") if p.is_file())


@st.composite
def damages(draw) -> tuple[str, float, bytes, object]:
    """(what to do, where in the file as a fraction, bytes to use, a JSON value to use)."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "json line", "garbage line"]))
    return kind, draw(st.floats(0, 1)), draw(st.binary(min_size=1, max_size=12)), draw(json_values)


def damage(path: Path, how: tuple[str, float, bytes, object]) -> None:
    kind, where, garbage, value = how
    data = path.read_bytes()
    at = min(int(len(data) * where), max(len(data) - 1, 0))
    if kind == "delete":
        path.unlink()
        return
    if kind == "truncate":
        data = data[:at]
    elif kind == "flip" and data:
        data = data[:at] + bytes([data[at] ^ (garbage[0] or 1)]) + data[at + 1 :]
    elif kind == "insert":
        data = data[:at] + garbage + data[at:]
    else:  # one line of a JSON or JSONL file replaced: by another JSON value, or by bytes that are none
        lines = data.split(b"\n")
        line = min(int(len(lines) * where), len(lines) - 1)
        lines[line] = json.dumps(value).encode() if kind == "json line" else garbage
        data = b"\n".join(lines)
    path.write_bytes(data)


def top_chunks(retriever: Retriever) -> list[str]:
    return [h.chunk_id for h in retriever.search(QUERY, k=3)]


@settings(max_examples=40)
@given(pick=st.integers(min_value=0), how=damages())
def test_any_damage_to_an_index_file_is_reported_with_a_command_that_repairs_it(
    small_corpus: Path, small_index: Path, pick: int, how
):
    expected = top_chunks(Retriever.load(small_index))
    with tempfile.TemporaryDirectory() as folder:
        index_dir = Path(folder) / "index"
        shutil.copytree(small_index, index_dir)
        name = index_files(index_dir)[pick % len(index_files(index_dir))]
        before = (index_dir / name).read_bytes()
        damage(index_dir / name, how)
        after = (index_dir / name).read_bytes() if (index_dir / name).exists() else None
        assume(after != before)
        try:
            loaded = Retriever.load(index_dir)
        except IndexNotUsable as error:
            assert run_repair_command(error, small_corpus) == 0
            assert top_chunks(Retriever.load(index_dir)) == expected
            return
        # Only a change that leaves what the manifest says unchanged (its spacing) may load.
        assert name == "manifest.json" and json.loads(after) == json.loads(before)
        assert top_chunks(loaded) == expected


class Interrupted(BaseException):
    """What the timer raises inside the build, like Ctrl-C (a BaseException, so no `except Exception` eats it)."""


def _interrupt(signum, frame):
    raise Interrupted


# The timer can fire inside a garbage-collector callback, where Python ignores the exception (the build then
# simply finishes); pytest reports that as a warning, which is no failure here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=12)
@given(delay=st.floats(0.0005, 0.3))
def test_a_build_interrupted_anywhere_leaves_an_index_that_loads(small_corpus: Path, small_index: Path, delay):
    with tempfile.TemporaryDirectory() as folder:
        corpus, index_dir = Path(folder) / "corpus", Path(folder) / "index"
        shutil.copytree(small_corpus, corpus)
        shutil.copytree(small_index, index_dir)
        old = set(Retriever.load(index_dir).documents)
        (corpus / "audit.txt").write_text("Audits\n\nPersonal information audits are due every two years.\n")
        previous = signal.signal(signal.SIGALRM, _interrupt)
        try:
            try:
                signal.setitimer(signal.ITIMER_REAL, delay)
                build_index(corpus, index_dir)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Interrupted:
            pass
        except OSError as error:
            # The interrupt can land inside shutil.rmtree between its closing a descriptor and noting it, and its
            # `finally` then closes it again: the interrupt arrives as EBADF. Any other OSError is a failure.
            if not isinstance(error.__context__, Interrupted):
                raise
        finally:
            signal.signal(signal.SIGALRM, previous)
        assert set(Retriever.load(index_dir).documents) in (old, old | {"audit"})
        build_index(corpus, index_dir)
        assert set(Retriever.load(index_dir).documents) == old | {"audit"}
        assert sorted(p.name for p in Path(folder).iterdir() if not p.name.endswith(".lock")) == ["corpus", "index"]


def test_a_document_the_builder_cannot_take_fails_the_build_and_loses_nothing(small_index_copy: Path):
    before = top_chunks(Retriever.load(small_index_copy))
    documents = list(Retriever.load(small_index_copy).documents.values())
    bad = Document("bad", title=None, text=["not", "text"])  # as a careless caller might pass
    with pytest.raises(TypeError, match="bad"):
        build_from_documents([*documents, bad], small_index_copy)
    surrogate = Document("broken", "T", "A lone surrogate \ud800 from a JSON escape.")
    with pytest.raises(ValueError, match="broken"):
        build_from_documents([*documents, surrogate], small_index_copy)
    assert top_chunks(Retriever.load(small_index_copy)) == before
