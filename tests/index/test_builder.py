"""Index directory: manifest, staleness, incremental updates, and corrupt-index handling."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from index.builder import build_index
from index.retriever import IndexNotUsable, Retriever
from tests.conftest import REPO, run_repair_command


def test_manifest_describes_model_chunker_and_corpus(seeds_index_dir: Path):
    manifest = json.loads((seeds_index_dir / "manifest.json").read_text())
    assert manifest["model"] == "all-MiniLM-L6-v2"
    assert manifest["dim"] == 384
    assert manifest["metric"] == "inner_product" and manifest["normalized"] is True
    assert manifest["chunker"]["max_tokens"] == 256
    assert manifest["store"] == "flat"
    assert sorted(manifest["documents"]) == sorted(p.stem for p in Path("seeds").glob("*.txt"))
    retriever = Retriever.load(seeds_index_dir)
    assert manifest["n_chunks"] == len(retriever.chunks) > 5
    for chunk in retriever.chunks:
        assert retriever.documents[chunk.doc_id].text[chunk.start : chunk.end] == chunk.text


def test_update_embeds_only_added_and_changed_documents(corpus_copy: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    first = build_index(corpus_copy, index_dir)
    assert len(first.added) == 5 and first.embedded_chunks == first.chunks
    vectors_before = np.load(index_dir / "embeddings.npy")

    again = build_index(corpus_copy, index_dir)
    assert again.up_to_date and again.embedded_chunks == 0

    changed = corpus_copy / "001_7516783149c43d0d.txt"
    changed.write_text(changed.read_text().replace("12 major Chinese technology companies", "13 major companies"))
    audit = "# Audit rules\n\nChina requires personal information audits every two years.\n"
    (corpus_copy / "005_new.md").write_text(audit)
    (corpus_copy / "004_b0dfca530d535ebd.txt").unlink()
    update = build_index(corpus_copy, index_dir)
    assert update.added == ("005_new",)
    assert update.changed == ("001_7516783149c43d0d",)
    assert update.removed == ("004_b0dfca530d535ebd",)
    retriever = Retriever.load(index_dir)
    per_doc = {d: sum(c.doc_id == d for c in retriever.chunks) for d in ("001_7516783149c43d0d", "005_new")}
    assert update.embedded_chunks == sum(per_doc.values())
    assert "004_b0dfca530d535ebd" not in {c.doc_id for c in retriever.chunks}
    # Unchanged documents keep their vectors bit for bit (they were reused, not re-embedded).
    unchanged = [i for i, c in enumerate(retriever.chunks) if c.doc_id == "000_203273770a4fecc1"]
    assert np.array_equal(np.load(index_dir / "embeddings.npy")[unchanged], vectors_before[: len(unchanged)])
    assert retriever.search("How often are personal information audits required?", k=1)[0].doc_id == "005_new"


def test_changed_chunker_settings_rebuild_everything(corpus_copy: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build_index(corpus_copy, index_dir)
    report = build_index(corpus_copy, index_dir, chunk_tokens=128)
    assert report.embedded_chunks == report.chunks
    assert json.loads((index_dir / "manifest.json").read_text())["chunker"]["max_tokens"] == 128


def test_bad_files_are_reported_and_the_build_goes_on(corpus_copy: Path, tmp_path: Path):
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus_copy / "latin1.txt").write_bytes(b"\xff\xfe caf\xe9 garbage")
    report = build_index(corpus_copy, tmp_path / "index")
    assert {s.path.name for s in report.skipped} == {"empty.txt", "binary.txt", "latin1.txt"}
    assert report.documents == 5


def _replace_line(path: Path, n: int, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[n] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def _edit_rows(path: Path, edit) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    edit(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


DAMAGES = {
    "manifest missing": lambda d: (d / "manifest.json").unlink(),
    "manifest not JSON": lambda d: (d / "manifest.json").write_text("{not json"),
    "manifest a list": lambda d: (d / "manifest.json").write_text("[1, 2]"),
    "manifest edited": lambda d: (d / "manifest.json").write_text(
        (d / "manifest.json").read_text().replace('"n_chunks": ', '"n_chunks": 1')),
    "chunk line removed": lambda d: (d / "chunks.jsonl").write_text(
        (d / "chunks.jsonl").read_text().split("\n", 1)[1]),
    "garbage chunk line": lambda d: _replace_line(d / "chunks.jsonl", 1, "garbage {"),
    "garbage document line": lambda d: _replace_line(d / "documents.jsonl", 1, "garbage {"),
    "chunk of the wrong type": lambda d: _edit_rows(d / "chunks.jsonl", lambda rows: rows[1].update(start="0")),
    "document text changed": lambda d: _edit_rows(
        d / "documents.jsonl", lambda rows: [r.update(text="X" * 50 + r["text"]) for r in rows]),
    "faiss garbage": lambda d: (d / "vectors.faiss").write_bytes(b"garbage"),
    "embeddings missing": lambda d: (d / "embeddings.npy").unlink(),
    "bm25 file truncated": lambda d: (d / "bm25" / "vocab.index.json").write_text("{"),
    "stray file": lambda d: (d / "notes.txt").write_text("not part of an index"),
}


def top_chunks(index_dir: Path) -> list[str]:
    return [h.chunk_id for h in Retriever.load(index_dir).search("Didi fine", k=3)]


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_index_names_a_command_that_repairs_it(small_corpus, small_index, small_index_copy, damage):
    damage(small_index_copy)
    with pytest.raises(IndexNotUsable) as error:
        Retriever.load(small_index_copy)
    assert run_repair_command(error.value, small_corpus) == 0
    assert top_chunks(small_index_copy) == top_chunks(small_index)


@pytest.mark.parametrize("damage", [DAMAGES["garbage chunk line"], DAMAGES["manifest edited"]])
def test_a_build_over_a_damaged_index_is_not_up_to_date_and_repairs_it(small_corpus, small_index_copy, damage):
    damage(small_index_copy)
    report = build_index(small_corpus, small_index_copy)
    assert report.repaired and not report.up_to_date
    assert Retriever.load(small_index_copy).size == report.chunks
    assert build_index(small_corpus, small_index_copy).up_to_date


def test_damage_to_derived_files_is_repaired_without_embedding(small_corpus, small_index_copy):
    (small_index_copy / "vectors.faiss").write_bytes(b"garbage")
    (small_index_copy / "bm25" / "vocab.index.json").write_text("{")
    report = build_index(small_corpus, small_index_copy)
    assert report.repaired and report.embedded_chunks == 0
    assert Retriever.load(small_index_copy).search("Didi fine", k=1)


def test_a_build_killed_while_swapping_in_is_undone_by_the_next(small_corpus, small_index_copy, tmp_path):
    # What a build killed between moving the old index aside and moving the new one in leaves behind.
    small_index_copy.rename(tmp_path / "index.old-4242")
    (tmp_path / "index.tmp-4242").mkdir()
    report = build_index(small_corpus, small_index_copy)
    assert report.up_to_date and report.embedded_chunks == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("index")) == ["index"]
    assert Retriever.load(small_index_copy).search("Didi fine", k=1)


def test_empty_corpus_gives_an_empty_index(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    report = build_index(tmp_path / "corpus", tmp_path / "index")
    assert report.chunks == 0
    assert Retriever.load(tmp_path / "index").search("anything", k=3) == []


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        build_index(tmp_path / "does-not-exist", tmp_path / "index")
    (tmp_path / "notes.txt").write_text("A corpus is a folder.\n\nThis is one file.")
    with pytest.raises(FileNotFoundError, match="is a file"):
        build_index(tmp_path / "notes.txt", tmp_path / "index")


def test_each_model_and_each_corpus_folder_gets_its_own_default_index_folder(tmp_path: Path):
    from index.config import Settings

    base = Settings(data_dir=tmp_path, corpus_dir=Path("seeds"))
    other = Settings(data_dir=tmp_path, corpus_dir=Path("seeds"), model="multilingual-e5-small")
    namesake = Settings(data_dir=tmp_path, corpus_dir=tmp_path / "elsewhere" / "seeds")
    assert base.index_dir.parent == tmp_path / "indexes" and base.index_dir.name.startswith("seeds-")
    assert other.index_dir == base.index_dir.with_name(f"{base.index_dir.name}--multilingual-e5-small")
    assert namesake.index_dir.name.startswith("seeds-") and namesake.index_dir != base.index_dir
    assert Settings(data_dir=tmp_path, corpus_dir=Path("seeds").resolve()).index_dir == base.index_dir


def test_a_new_keyword_tokenizer_rebuilds_bm25_but_reuses_the_vectors(corpus_copy: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build_index(corpus_copy, index_dir)
    manifest_path = index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["keyword_tokenizer"] = "older-tokens"
    manifest_path.write_text(json.dumps(manifest))
    report = build_index(corpus_copy, index_dir)
    assert report.embedded_chunks == 0
    assert json.loads(manifest_path.read_text())["keyword_tokenizer"] != "older-tokens"


def test_encode_unique_embeds_each_distinct_text_once_in_input_order(embedder):
    from index.builder import encode_unique

    texts = ["Didi was fined.", "The law took effect in September.", "Didi was fined."]
    vectors = encode_unique(embedder, texts)
    assert vectors.shape == (3, embedder.dim)
    assert np.array_equal(vectors[0], vectors[2])
    assert np.allclose(vectors[1], embedder.encode([texts[1]])[0], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1])


@pytest.mark.parametrize("where", ["a folder of other files", "the corpus itself", "a file"])
def test_a_build_never_replaces_what_is_not_an_index(small_corpus, tmp_path, where):
    if where == "the corpus itself":
        corpus = tmp_path / "corpus"
        shutil.copytree(small_corpus, corpus)
        target = corpus
    elif where == "a file":
        corpus, target = small_corpus, tmp_path / "notes.txt"
        target.write_text("my notes")
    else:
        corpus, target = small_corpus, tmp_path / "work"
        (target / "sub").mkdir(parents=True)
        (target / "thesis.txt").write_text("years of work")
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    with pytest.raises(ValueError, match="new or empty folder"):
        build_index(corpus, target)
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before


def test_an_index_that_lost_its_manifest_is_still_rebuilt_in_place(small_corpus, small_index_copy):
    (small_index_copy / "manifest.json").unlink()
    assert build_index(small_corpus, small_index_copy).repaired
    assert Retriever.load(small_index_copy).size > 0


@contextmanager
def build_lock_held(index_dir: Path) -> Iterator[None]:
    """The build lock of ``index_dir`` held as another process's `regbot index build` holds it."""
    with open(index_dir.with_name(f".{index_dir.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _build_in_thread(corpus: Path, index_dir: Path) -> tuple[threading.Thread, list]:
    reports: list = []
    thread = threading.Thread(target=lambda: reports.append(build_index(corpus, index_dir)), daemon=True)
    thread.start()
    return thread, reports


def test_an_intact_current_index_opens_without_the_build_lock(small_corpus, small_index_copy):
    # A reader on a read-only data folder cannot create the lock, and one beside a running build must not wait.
    with build_lock_held(small_index_copy):
        thread, reports = _build_in_thread(small_corpus, small_index_copy)
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert reports[0].up_to_date


def test_a_build_that_must_wait_for_another_says_so_then_builds(small_corpus, small_index_copy, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    (corpus / "added.txt").write_text("A new report on data export rules.\n\nIt has two paragraphs.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="index.builder"), build_lock_held(small_index_copy):
        thread, reports = _build_in_thread(corpus, small_index_copy)
        thread.join(timeout=5)
        assert thread.is_alive() and not reports  # waiting on the lock, not building beside the other process
        assert any(str(small_index_copy) in r.getMessage() for r in caplog.records)
    thread.join(timeout=300)
    assert reports and reports[0].added == ("added",)


def test_two_builds_of_one_corpus_write_the_same_keyword_files(tmp_path: Path):
    # Each in its own process, with its own hash seed: what a set's order decides must not reach the files.
    script = ("import sys; from pathlib import Path; from index.keyword import KeywordIndex; "
              "KeywordIndex.build(['Didi was fined', '数据安全法 第一条', '', 'fines and 罚款']).save(Path(sys.argv[1]))")
    for seed in ("1", "2"):
        (tmp_path / seed).mkdir()
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], check=True, cwd=REPO,
                       env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
    files = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert files and all((tmp_path / "1" / f).read_bytes() == (tmp_path / "2" / f).read_bytes() for f in files)
