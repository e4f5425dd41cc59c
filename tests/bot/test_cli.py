"""The `regbot` command line, run in-process on real files; bad input is rejected before anything loads."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [["ask", ""], ["ask", " \t"], ["search", "Didi", "-k", "0"], ["search", ""],
                                  ["search", "\x01\x02"]])
def test_cli_rejects_bad_input_before_building_or_loading_anything(argv: list[str], tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(tmp_path / "data"), *argv],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("regbot: error:") and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()  # no index was built, so no model was loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["index", "build", "--index", "{index}", "--corpus", "{corpus}"],
        ["--corpus", "{corpus}", "index", "build", "--index", "{index}"],
        ["--corpus", "/does/not/exist", "index", "build", "--corpus", "{corpus}", "--index", "{index}"],
    ],
    ids=["after the action", "before the command", "after wins"],
)
def test_index_build_takes_the_corpus_before_or_after_the_action(small_corpus: Path, tmp_path: Path, argv, capsys):
    index_dir = tmp_path / "index"
    words = [w.format(index=index_dir, corpus=small_corpus) for w in argv]
    assert main(words) == 0
    capsys.readouterr()
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["source"] == str(small_corpus.resolve())
    assert main(["index", "info", "--index", str(index_dir), "--corpus", str(small_corpus), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stale"] is None


def test_a_question_that_begins_with_a_dash_is_a_question_not_an_option(small_corpus: Path, tmp_path: Path, capsys):
    argv = ["--data-dir", str(tmp_path), "--corpus", str(small_corpus), "search"]
    assert main([*argv, "-how was Didi fined", "-k", "2", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_index_build_tells_its_progress_when_stderr_is_not_a_terminal(small_corpus: Path, tmp_path: Path, caplog):
    caplog.set_level(logging.INFO, logger="index.builder")  # pytest's stderr is no terminal either
    assert main(["index", "build", "--index", str(tmp_path / "index"), "--corpus", str(small_corpus)]) == 0
    told = [r.getMessage() for r in caplog.records if r.name == "index.builder" and r.levelno == logging.INFO]
    chunks = json.loads((tmp_path / "index" / "manifest.json").read_text())["n_chunks"]
    assert any("embedded" in line and f"{chunks} chunks" in line and "texts/s" in line for line in told)
    caplog.clear()
    assert main(["index", "build", "--index", str(tmp_path / "index2"), "--corpus", str(small_corpus),
                 "--no-progress"]) == 0
    assert not any("embedded" in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


@pytest.mark.parametrize("farewell", ["q", "退出"])
def test_chat_answers_each_question_until_told_to_stop(kb, farewell: str, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"How much was Didi fined?\n{farewell}\nWho wrote the SCMP piece?\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert out.count("regbot> ") == 2 and out.count("\nSources:") == 1
    assert "002_e82dffa06f5920f7" in out  # the Reuters report states Didi's fine


def test_index_build_into_a_folder_that_is_not_an_index_names_the_fix_and_keeps_its_files(small_corpus, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.txt").write_text("years of work")
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(tmp_path / "data"), "index", "build",
         "--corpus", str(small_corpus), "--index", str(work)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0 and proc.stderr.startswith("regbot: error:") and "Traceback" not in proc.stderr
    assert "new or empty folder" in proc.stderr
    assert (work / "thesis.txt").read_text() == "years of work" and [p.name for p in work.iterdir()] == ["thesis.txt"]


def test_a_data_directory_that_is_a_file_gets_an_error_naming_it_not_a_traceback(tmp_path):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file")
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(not_a_folder), "ask", "How much was Didi fined?"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("regbot: error:") and "Traceback" not in proc.stderr
    assert str(not_a_folder) in proc.stderr and "REGBOT_DATA_DIR" in proc.stderr


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(small_index, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(tmp_path / "data"), "index", "info",
         "--index", str(small_index)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    proc.stdout.close()  # as `| head -0` does, before anything was written
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


@pytest.mark.parametrize("option", ["--json", "--chart"])
@pytest.mark.parametrize("target", ["a folder", "an unknown chart format"])
def test_eval_checks_where_its_reports_go_before_running(tmp_path, option, target):
    if target == "a folder":
        path = tmp_path / "reports"
        path.mkdir()
    else:
        path = tmp_path / "report.txt"
        if option == "--json":  # a JSON report may be named anything; its chart beside it is then the problem
            option, path = "--chart", tmp_path / "chart.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(tmp_path / "data"), "eval", "--dataset",
         "eval/devset.jsonl", option, str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("regbot: error:") and "Traceback" not in proc.stderr
    assert option in proc.stderr
    built = [p.name for p in (tmp_path / "data").rglob("*") if p.is_dir() and p.name != "eval"]
    assert built == []  # refused before any index was built or question asked
