"""Hybrid retrieval over an index directory.

    retriever = Retriever.load(Settings.from_env().index_dir)        # the default index, built by `regbot index build`
    for hit in retriever.search("How much was Didi fined?", k=3):
        print(hit.score, hit.doc_id, hit.text[:80])

The default pipeline: BM25 and dense candidates (top ``candidates`` of each) → a weighted blend of their
min-max normalised scores → a sentence-level re-score (the best-matching sentence of each chunk), plus the
latent-term score when the index has one (`index.latent`). The
``method`` argument selects simpler pipelines for comparison: "bm25", "dense", "rrf" (plain reciprocal-rank
fusion of the two) and "weighted" (the blend without the re-score).
"""

from __future__ import annotations

import collections
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .acronyms import ACRONYMS, SHORTHAND, as_written, expand_acronyms
from .builder import ENCODER_FILE, FORMAT_VERSION
from .config import Settings
from .crosslingual import Lexicon, Translation, hubness
from .dictionary import everyday_words
from .embedding import (
    CROSS_LINGUAL_OFFSET,
    CROSS_LINGUAL_RANKING_OFFSET,
    DUPLICATE_COSINE,
    ONNX_ENCODERS,
    TERM_SIMILARITY,
    Embedder,
    load_embedder,
)
from .fusion import rrf_scores, weighted_scores
from .integrity import IndexNotUsable, damaged, read_manifest, read_records, verify_checksums
from .keyword import KeywordIndex, tokenize, top_positive
from .language import CJK, detect_language
from .latent import LATENT_LANGUAGES, encode_latent, latent_scores, load_latent
from .laws import asks_about_penalty, asks_when_in_force, imposes_penalty, referenced_articles, states_in_force
from .onnx_encoder import file_digest
from .passes import QueryPasses
from .records import Chunk, Document, Hit, Sentence
from .rerank import best_sentence_scores, rescore
from .store import VectorStore
from .terminology import load_terminology

if TYPE_CHECKING:
    import scipy.sparse

logger = logging.getLogger(__name__)

METHODS = ("bm25", "dense", "rrf", "weighted", "default")
# Asked what a breach costs: the penalties of the duties among this many best passages rank next to their duty,
# this much below it (on the fused scale, where the named-law boost is 0.3).
PENALTY_SOURCES = 5
PENALTY_STEP = -0.01
# ... unless the question's own words found a penalty among this many best: reordering penalties already
# found puts the penalty of a merely similar duty first.
PENALTY_FOUND = 10
# The provisions that apply the best law article by number rank this much below it (see `_applying_beside_best`).
APPLYING_STEP = PENALTY_STEP


_SURROGATE = re.compile("[\ud800-\udfff]")


def validate_request(query: object, k: object) -> None:
    """Reject what no index could answer, before anything is loaded."""
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, not {type(query).__name__}")
    if not "".join(c for c in query if unicodedata.category(c)[0] != "C").strip():
        raise ValueError(f"query {query!r} holds no words (only spaces or control characters); ask in words")
    if _SURROGATE.search(query):
        raise ValueError("query holds lone surrogates (bytes that were not UTF-8); pass text decoded as UTF-8")
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be an int, not {type(k).__name__}")
    if k <= 0:
        raise ValueError(f"k={k} must be a positive number of results")


@dataclass(frozen=True)
class RetrievalParams:
    """Knobs of the default pipeline; their defaults are `Settings`' (tuned on SQuAD; see the README)."""

    fusion: str = Settings.fusion
    dense_weight: float = Settings.dense_weight
    candidates: int = Settings.candidates
    rescore_weight: float = Settings.rescore_weight
    # Added to the (0..1) fused score of the passages of a law the query names, and again to the passage that
    # states its in-force date when the query asks when it took effect.
    named_boost: float = Settings.named_boost
    in_force_boost: float = Settings.in_force_boost
    # Weight of the 0..1 latent-term score (`index.latent`) added to the fused score, when the index has one.
    latent_weight: float = Settings.latent_weight

    def __post_init__(self) -> None:
        if self.fusion not in ("weighted", "rrf"):
            raise ValueError(f"fusion={self.fusion!r} must be 'weighted' or 'rrf'")
        if self.candidates < 1:
            raise ValueError(f"candidates={self.candidates} must be >= 1")


class Retriever:
    """Loaded state of one index: chunks, documents, FAISS store, BM25, sentence vectors, and the model."""

    def __init__(
        self,
        index_dir: Path,
        manifest: dict,
        chunks: list[Chunk],
        documents: dict[str, Document],
        embedder: Embedder,
        arrays: dict[str, np.ndarray],
        store: VectorStore | None,
        keyword: KeywordIndex | None,
        params: RetrievalParams,
        lexicon: Lexicon | None = None,
        latent: scipy.sparse.csr_matrix | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.chunks = chunks
        self.documents = documents
        self.embedder = embedder
        self.params = params
        self._embeddings = arrays["embeddings"]
        self._sentence_rows = arrays["sentences"]
        self._sentence_vectors = arrays["sentence_vectors"]
        # Sentences of chunk r are rows sentence_ptr[r]:sentence_ptr[r+1] (the builder sorts them by chunk).
        self._sentence_ptr = np.searchsorted(self._sentence_rows[:, 0], np.arange(len(chunks) + 1))
        self._store = store
        self._keyword = keyword
        self._row_of = {c.id: i for i, c in enumerate(chunks)}
        self._lexicon = lexicon
        self._latent = latent
        self._passes = QueryPasses()
        self.row_languages = np.array([documents[c.doc_id].language for c in chunks], dtype=object)
        # A passage in the other language than the question's scores lower for the same relevance.
        self.cross_lingual_offset = CROSS_LINGUAL_OFFSET.get(embedder.name, 0.0)
        self._ranking_offsets = CROSS_LINGUAL_RANKING_OFFSET.get(embedder.name, {})
        self.duplicate_cosine = DUPLICATE_COSINE.get(embedder.name, 0.9)
        self._corpus_text: str | None = None  # built on first `mentions`
        self._initialisms: frozenset[str] | None = None  # built on first `abbreviates`
        self._name_patterns: list[tuple[str, re.Pattern[str]]] | None = None  # built on first `named_documents`
        self._proper_names: frozenset[str] | None = None  # built on first `proper_names`
        self._name_words: frozenset[str] = frozenset()  # with it
        self._ordinary_name_words: frozenset[str] = frozenset()  # with it
        self._in_force_rows: dict[str, list[int]] | None = None  # built on first `in_force_rows`
        self._hubness: np.ndarray | None = None  # built on first `sentence_hubness`
        # Per law article row, the rows citing it by number: (penalties, other provisions); built on first use.
        self._citing: tuple[dict[int, list[int]], dict[int, list[int]]] | None = None

    @classmethod
    def load(cls, index_dir: Path, *, params: RetrievalParams | None = None) -> Retriever:
        """Open an index directory, checking that its files are the ones its build wrote, and every record.

        Raises `IndexNotUsable`, naming the command that rebuilds the index, for anything missing or damaged.
        """
        index_dir = Path(index_dir)
        manifest = _read_manifest(index_dir)
        verify_checksums(index_dir, manifest)
        chunks, documents, arrays = read_records(index_dir, manifest)
        try:
            store = VectorStore.load(index_dir / "vectors.faiss") if chunks else None
            keyword = KeywordIndex.load(index_dir / "bm25", len(chunks)) if chunks else None
            lexicon = Lexicon.load(index_dir)
            latent = load_latent(index_dir, len(chunks))
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise damaged(index_dir, f"its FAISS, BM25, lexicon or latent-term files are unreadable ({exc})",
                          manifest) from exc
        _check_consistency(index_dir, manifest, chunks, arrays, store)
        embedder = _load_encoder(index_dir, manifest)
        if embedder.dim != manifest["dim"]:
            raise damaged(index_dir, f"it has {manifest['dim']}-d vectors, {manifest['model']} makes {embedder.dim}",
                          manifest)
        params = params or RetrievalParams()
        return cls(index_dir, manifest, chunks, documents, embedder, arrays, store, keyword, params, lexicon, latent)

    def ranking_offset(self, language: str) -> float:
        """What ranking adds to a ``language`` question's cosine with a passage in the other language, so that
        the two languages compete on one scale: ``retriever.ranking_offset("zh")``."""
        return self._ranking_offsets.get(language, self.cross_lingual_offset)

    @property
    def size(self) -> int:
        return len(self.chunks)

    def damaged(self, detail: str) -> IndexNotUsable:
        """The error for index data found wrong in use (a quote that is not its document's text), naming the fix."""
        return damaged(self.index_dir, detail, self.manifest)

    def check_query(self, query: object) -> str:
        """The query as it will be searched (acronyms expanded, cut to the model's limit).

        Raises TypeError/ValueError for unusable input.
        """
        validate_request(query, 1)
        query = expand_acronyms(query, corpus_has=self.knows)
        cut = self.embedder.truncate(query)
        if len(cut) < len(query):
            logger.warning(
                "query of %d characters exceeds the model's %d-token limit: searching its first %d characters",
                len(query), self.embedder.max_tokens, len(cut),
            )
        return cut.strip()

    def named_documents(self, query: str) -> frozenset[str]:
        """The documents ``query`` names: a law by any of its names ("PIPL", "个保法", "the Data Security
        Law"), another source by its publisher ("per the SCMP piece", "据WallStreetPR的文章"). Their passages
        are preferred: a question about one law must not be answered from another, and one about what a
        report says is answered from that report. A short name is looked for as the asker wrote it too, without
        the acronym expansions the checked query holds ("CII regs")."""
        texts = dict.fromkeys([query, as_written(query)])  # one text when nothing was expanded
        named = frozenset(doc_id for doc_id, pattern in self._names() if any(pattern.search(t) for t in texts))
        return named or self._law_described(query)

    def _law_described(self, query: str) -> frozenset[str]:
        """The one law a question describes by its year and words of its name ("the 2016 cyber law", "the 2021
        data statute", "2021年那部数据法"): adopted or in force that year, every describing word in one of its
        names. A year alone names nothing, nor do words no name has ("the 2024 cross-border data rules" are the
        CAC's, which the reports cover, not the 2024 Network Data Security Regulations)."""
        found = set()
        for match in _LAW_DESCRIBED.finditer(query):
            year = match.group("year") or match.group("year_zh")
            words = match.group("words") or match.group("words_zh")
            found |= {d.doc_id for d in self.documents.values()
                      if d.kind == "law" and year in (d.date[:4], d.in_force[:4]) and _describes(words, d.names)}
        return frozenset(found) if len(found) == 1 else frozenset()

    def _names(self) -> list[tuple[str, re.Pattern[str]]]:
        if self._name_patterns is None:
            self._name_patterns = [(doc_id, _name_pattern(n)) for doc_id, n in self._source_names() if any(n)]
        return self._name_patterns

    def _source_names(self) -> list[tuple[str, tuple[str, ...]]]:
        """What a question calls each source by: a law by its names, a report by its publisher."""
        return [(doc.doc_id, doc.names if doc.kind == "law" else (doc.publisher, *doc.aliases))
                for doc in self.documents.values()]

    def proper_names(self) -> frozenset[str]:
        """Keyword tokens that the English documents write only capitalised, and never as a word of a source's
        own name (a law, a publisher) nor in all of them (the corpus's setting, "China"): the firms, people
        and places a fact is about, "alibaba", "tencent", "liehong"."""
        if self._proper_names is None:
            capitalised, lower, spread, written, lone = set(), set(), collections.Counter(), set(), set()
            english = [d for d in self.documents.values() if d.language == "en"]
            for doc in english:
                words = [(m.group(), _sentence_start(doc.text, m.start())) for m in _WORD.finditer(doc.text)]
                for word, first in words:
                    if not first:  # a sentence's first word is capitalised whatever it is
                        (capitalised if word[0].isupper() else lower).update(tokenize(word))
                spread.update({t for w, _ in words for t in tokenize(w)})
                written.update(w for w, _ in words if w[0].isupper())
                lone.update(_bare(w) for w in _lone_capitalised(doc.text))
            own = {t for n in (*ACRONYMS, *ACRONYMS.values(), *(n for _, names in self._source_names() for n in names))
                   for t in tokenize(n)}
            common = {t for t, n in spread.items() if n == len(english)}
            # A lone letter names nothing on its own: the "U" of "U.S. Navy" is not the "u" of "if u process".
            names = capitalised - lower - own - common - _CAPITALISED_WORDS
            self._proper_names = frozenset(t for t in names if len(t) > 1)
            # The words as written: a firm's "Holdings" is a name's word, yet its stem "hold" in a question is a verb.
            self._name_words = frozenset(
                _bare(w) for w in written if (tokens := tokenize(w)) and all(t in self._proper_names for t in tokens)
            )
            # A name word that is also an everyday word names something in a question only where the documents
            # write it as a name on its own ("jingtech", not the "week" of "Acme Tech Week").
            self._ordinary_name_words = everyday_words(self._name_words) - lone
        return self._proper_names

    def names_in(self, question: str, language: str) -> list[frozenset[str]]:
        """The names of `proper_names` a question uses, each as the forms a passage may write it in: a run of
        such tokens ("full truck alliance") or, from a Chinese question, a run it spells in pinyin
        (``{"阿里巴巴", "alibaba"}``)."""
        proper = self.proper_names()
        names, run, words = [], [], []
        for word in [*(m.group() for m in _WORD.finditer(question)), ""]:
            if _bare(word) in self._name_words and not _abbreviation(word):
                run += tokenize(word)
                words.append(word)
            elif run:
                if self._names_something(words):
                    names.append(frozenset(run))
                run, words = [], []
        if language == "zh" and self._lexicon is not None:
            for chinese, english in self._lexicon.romanised_names(question):
                tokens = {t for t in tokenize(english) if t in proper}
                if tokens:
                    names.append(frozenset({chinese, *tokens}))
            # ... or one the terminology gives the reports' name of (蚂蚁集团 for "Ant Group"): a name when
            # every word of that name is one.
            for chinese, english in load_terminology().matches(question, language):
                tokens = set(tokenize(english))
                if tokens and tokens <= proper:
                    names.append(frozenset({chinese, *tokens}))
        return list(dict.fromkeys(names))

    def _names_something(self, words: list[str]) -> bool:
        """Whether a run of a question's name words names something: capitalised as a name is, or more than one
        word ("acme cargo alliance"), or not an everyday word ("jingtech", not the "week" of "Acme Tech Week" in
        "what day of the week")."""
        return any(w[0].isupper() for w in words) or len(words) > 1 or _bare(words[0]) not in self._ordinary_name_words

    def knows(self, term: str) -> bool:
        """Whether a keyword token (see `keyword.tokenize`) occurs anywhere in the indexed chunks."""
        return self._keyword is not None and self._keyword.knows(term)

    def passages_with(self, term: str) -> frozenset[int]:
        """The positions in `chunks` of the passages holding every token of ``term`` (keyword tokens, see
        `keyword.tokenize`, space-separated): ``passages_with("罚款")``."""
        if self._keyword is None or not term.split():
            return frozenset()
        return frozenset.intersection(*(self._keyword.rows_with(token) for token in term.split()))

    def mentions(self, phrase: str) -> bool:
        """Whether ``phrase`` occurs as whole words in some indexed document or its title, publisher or author
        (case, spacing and apostrophe style ignored): ``mentions("Data Security Law")``."""
        if self._corpus_text is None:
            self._corpus_text = "\n".join(
                _plain(part) for d in self.documents.values() for part in (*d.names, d.publisher, d.author, d.text)
            )
        return re.search(rf"(?<!\w){re.escape(_plain(phrase))}(?!\w)", self._corpus_text) is not None

    def abbreviates(self, acronym: str) -> bool:
        """Whether ``acronym`` is the initials of a name some English document writes out, its small words
        ("of", "and") counted or not: ``abbreviates("ACA")`` for "Acme Cargo Alliance"."""
        if self._initialisms is None:
            self._initialisms = frozenset(
                initials for d in self.documents.values() if d.language == "en"
                for run in _CAPITALISED_RUN.finditer(d.text) for initials in _initialisms(run.group().split())
            )
        return acronym.upper() in self._initialisms

    def idf(self, term: str) -> float:
        """Rarity of a keyword token in the indexed chunks (0 for an empty index)."""
        return self._keyword.idf(term) if self._keyword is not None else 0.0

    @property
    def max_idf(self) -> float:
        """The rarity of a term no passage has (the ceiling of `idf`; 1 for an empty index)."""
        return self._keyword.max_idf if self._keyword is not None else 1.0

    def encode(self, query: str) -> np.ndarray:
        """The query's unit vector (computed once per query: `search` and the stages after it share it)."""
        return self._passes.get(("vector", query), lambda: self.embedder.encode_queries([query])[0])

    def search(self, query: str, k: int = 5, *, method: str = "default") -> list[Hit]:
        """The ``k`` best chunks for ``query``, best first (fewer if the index holds fewer)."""
        validate_request(query, k)
        if method not in METHODS:
            raise ValueError(f"method={method!r} is not one of {', '.join(METHODS)}")
        query = self.check_query(query)
        if self._store is None or self._keyword is None:
            return []
        if method == "bm25":
            scores = self.keyword_scores(query)
            rows = top_positive(scores, k)
            return self._hits(rows, scores[rows])
        if method == "default":
            self._start_passes(query)
        vector = self.encode(query)
        if method == "dense":
            scores, rows = self._store.search(vector[None, :], k)
            return self._hits(rows[0], scores[0])
        rows, fused = self._fuse(query, vector, method)
        latent = self._latent_part(query, rows, method)
        fused = fused + latent
        order = np.argsort(-fused, kind="stable")[:k]
        return self._hits(rows[order], fused[order], latent[order])

    def _fuse(self, query: str, vector: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
        named = self.named_documents(query) if method == "default" else frozenset()
        # "When did PIPL take effect?" is answered by the article that states the date, which shares no word
        # with the question ("本法自2021年11月1日起施行"): it joins the candidates and is preferred.
        stating = self.in_force_rows(named) if named and asks_when_in_force(query) else []
        rows, fused = self._fuse_pool(query, vector, method, named, stating, also=self.named_report_rows(named))
        if method != "default":
            return rows, fused
        # Asked what a breach costs, the places beside a duty are its penalties', not those of the provisions
        # applying it to someone else (CSL Art. 34 applies Art. 21; Art. 59 penalises a breach of Art. 21).
        if asks_about_penalty(query):
            return self._penalties_beside_duties(rows, fused)
        return self._applying_beside_best(rows, fused)

    def _fuse_pool(
        self, query: str, vector: np.ndarray, method: str, named: frozenset[str], stating: list[int],
        also: Sequence[int] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        pool = self.candidates(query, vector, also=[*stating, *also])
        fusion = "rrf" if method == "rrf" else self.params.fusion if method == "default" else "weighted"
        rescore_weight = self.params.rescore_weight if method == "default" else 0.0
        best = self.best_sentence(vector, pool.rows) if rescore_weight > 0 else None
        if best is not None:
            best = best + self.ranking_offset(detect_language(query)) * pool.cross
        fused = combine(pool, fusion, self.params.dense_weight, best, rescore_weight)
        if named:
            fused = fused + self.params.named_boost * np.array(
                [self.chunks[r].doc_id in named for r in pool.rows.tolist()], dtype=np.float32
            )
        if stating:
            fused = fused + self.params.in_force_boost * np.isin(pool.rows, stating).astype(np.float32)
        return pool.rows, fused

    def _start_passes(self, query: str) -> None:
        """Start the model passes the default search will need besides the query's vector (see `index.passes`)."""
        if self._uses_latent(query):
            self._passes.start(("latent", query), lambda: self._latent_terms(query))
        if self._translates(query):
            self._passes.start(("translation", query), lambda: self._translate(query))

    def _uses_latent(self, query: str) -> bool:
        return (self._latent is not None and bool(self.params.latent_weight)
                and detect_language(query) in LATENT_LANGUAGES)

    def _latent_part(self, query: str, rows: np.ndarray, method: str) -> np.ndarray:
        """What the latent terms add to the final score of ``rows`` (the default pipeline only)."""
        if method != "default" or not self._uses_latent(query):
            return np.zeros(len(rows), dtype=np.float32)
        return self.params.latent_weight * self.latent_scores(query)[rows]

    def _penalties_beside_duties(self, rows: np.ndarray, fused: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Asked what a breach costs, when none of the best passages imposes a penalty, the provisions that
        penalise the duties among them rank just below each duty: a statute states the penalty in words of its
        own ("违反本法第三十五条规定，拒不配合数据调取的，……罚款"), and a question about the duty's subject matter
        finds the duty first. Penalties not among the candidates join them."""
        ranked = rows[np.argsort(-fused, kind="stable")].tolist()
        if any(imposes_penalty(self.chunks[row].text) for row in ranked[:PENALTY_FOUND]):
            return rows, fused  # the question's words found a penalty already: leave its ranking alone
        top = ranked[:PENALTY_SOURCES]
        pairs = [(penalty, duty) for duty in top for penalty in self.penalties_citing(duty)]
        if not pairs:
            return rows, fused
        rows, fused = _joined(rows, fused, [penalty for penalty, _ in pairs])
        position = {row: i for i, row in enumerate(rows.tolist())}
        for penalty, duty in pairs:
            fused[position[penalty]] = max(fused[position[penalty]], fused[position[duty]] + PENALTY_STEP)
        return rows, fused

    def _applying_beside_best(self, rows: np.ndarray, fused: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The provisions that refer to the best law article by number rank just below it. Such a provision
        applies the other's subject without its words: PIPL Art. 53 sets the duties of "本法第三条第二款规定的
        中华人民共和国境外的个人信息处理者", whom only Art. 3 describes (processing abroad to offer services to
        people in China), and Art. 38 names as a route out of China "依照本法第四十条的规定通过……安全评估". A
        question in Art. 3's or Art. 40's words finds them first and their applying provision next."""
        if not len(rows):
            return rows, fused
        at = int(np.argmax(fused))
        applying = self.provisions_citing(int(rows[at]))
        if not applying:
            return rows, fused
        top = float(fused[at])
        rows, fused = _joined(rows, fused, applying)
        position = {row: i for i, row in enumerate(rows.tolist())}
        for row in applying:
            fused[position[row]] = max(fused[position[row]], top + APPLYING_STEP)
        return rows, fused

    def penalties_citing(self, row: int) -> list[int]:
        """The rows of the provisions that penalise a breach of the law article at ``row`` (they refer to it by
        number and impose a fine, a confiscation or a detention); [] for a passage that is no law article."""
        return self._citations()[0].get(row, [])

    def provisions_citing(self, row: int) -> list[int]:
        """The rows of the other provisions of its law that refer to the law article at ``row`` by number and
        impose no penalty: ``provisions_citing(<PIPL Art. 3>)`` holds the rows of Art. 53."""
        return self._citations()[1].get(row, [])

    def _citations(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        if self._citing is None:
            rows_of = collections.defaultdict(list)
            for r, chunk in enumerate(self.chunks):
                if chunk.article is not None:
                    rows_of[(chunk.doc_id, chunk.article)].append(r)
            penalties, provisions = collections.defaultdict(list), collections.defaultdict(list)
            for r, chunk in enumerate(self.chunks):
                if chunk.article is None:
                    continue
                into = penalties if imposes_penalty(chunk.text) else provisions
                for number in referenced_articles(chunk.text):
                    if number != chunk.article:
                        for cited in rows_of.get((chunk.doc_id, number), ()):
                            into[cited].append(r)
            self._citing = (dict(penalties), dict(provisions))
        return self._citing

    def named_report_rows(self, named: frozenset[str]) -> list[int]:
        """The chunk rows of the reports among the ``named`` documents. They join the candidates, besides being
        preferred: a Chinese question naming an English report ("路透那篇里……") may be close to none of its
        passages by vector or keyword. (A named law's articles are among the candidates already, and adding a
        whole law would reshape the pool's score scale.)"""
        reports = {d for d in named if self.documents[d].kind != "law"}
        return [row for row, chunk in enumerate(self.chunks) if chunk.doc_id in reports] if reports else []

    def in_force_rows(self, doc_ids: Iterable[str]) -> list[int]:
        """The chunk rows of the laws ``doc_ids`` that state the law's in-force date (its final article, as a
        rule), from the documents' metadata: ``in_force_rows({"PIPL_2021-08-20_zh"})``."""
        if self._in_force_rows is None:
            self._in_force_rows = collections.defaultdict(list)
            for row, chunk in enumerate(self.chunks):
                document = self.documents[chunk.doc_id]
                if document.kind == "law" and states_in_force(document.in_force, chunk.text):
                    self._in_force_rows[chunk.doc_id].append(row)
        return [row for doc_id in sorted(doc_ids) for row in self._in_force_rows.get(doc_id, ())]

    def latent_scores(self, query: str) -> np.ndarray:
        """Every chunk's 0..1 latent-term score for ``query`` among the chunks of its language (`index.latent`);
        zeros when the index has no latent terms."""
        if self._latent is None:
            return np.zeros(len(self.chunks), dtype=np.float32)
        terms = self._passes.get(("latent", query), lambda: self._latent_terms(query))
        return latent_scores(self._latent, terms, self.row_languages)

    def _latent_terms(self, query: str) -> scipy.sparse.csr_matrix | None:
        return encode_latent(self.embedder, [query])

    def translation(self, query: str) -> Translation:
        """``query``'s content words in the index's other language (empty without a lexicon or a match), and
        the share of them that found one: ``translation("Do minors need consent?").text == "未成年人 同意"``."""
        if self._lexicon is None:
            return Translation("", 0.0)
        return self._passes.get(("translation", query), lambda: self._translate(query))

    def _translate(self, query: str) -> Translation:
        return self._lexicon.translate(
            query, detect_language(query), self.embedder, min_similarity=TERM_SIMILARITY.get(self.embedder.name, 1.0)
        )

    def _translates(self, query: str) -> bool:
        """Whether the keyword scores of ``query`` need its translation: the index has passages in another
        language than the query's, and a lexicon to reach them."""
        return self._lexicon is not None and bool((self.row_languages != detect_language(query)).any())

    def senses(self, english: str) -> list[str]:
        """The Chinese words of the corpus a dictionary translates the words of ``english`` by (see
        `index.dictionary`); [] without a lexicon: ``senses("What is the fine?") == ["罚款"]``."""
        return self._lexicon.senses(english, self.embedder) if self._lexicon is not None else []

    def keyword_scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk: passages in the query's language for its own words, passages in the
        other language for those words' translations, when the index has a lexicon. A Chinese query's words
        that the corpus lacks are also looked for by their synonyms in it (留 by 留存, 保存): a casual question
        says in one character what a law says in two."""
        if self._lexicon is not None and CJK.search(query):
            query = " ".join([query, *self._lexicon.synonyms(query)])
        scores = self._keyword.scores(query)
        if not self._translates(query):
            return scores
        other = self.row_languages != detect_language(query)
        translation = self.translation(query)
        if not translation.searched:
            return np.where(other, 0.0, scores).astype(np.float32)
        return np.where(other, self._keyword.scores(translation.searched), scores).astype(np.float32)

    def candidates(self, query: str, vector: np.ndarray, *, also: Sequence[int] = ()) -> Candidates:
        """The union of the dense and keyword top ``params.candidates`` and the rows ``also``, with both scores
        for every member."""
        n = max(self.params.candidates, 1)
        _, dense_rows = self._store.search(vector[None, :], n)
        keyword_all = self.keyword_scores(query)
        keyword_rows = top_positive(keyword_all, n)
        members = [*dense_rows[0].tolist(), *keyword_rows.tolist(), *also]
        rows = np.array(list(dict.fromkeys(members)), dtype=np.int64)
        position = {row: i for i, row in enumerate(rows.tolist())}
        language = detect_language(query)
        cross = self.row_languages[rows] != language
        return Candidates(
            rows=rows,
            dense=self._embeddings[rows] @ vector + self.ranking_offset(language) * cross,
            keyword=keyword_all[rows],
            dense_ranking=np.array([position[r] for r in dense_rows[0].tolist()], dtype=np.int64),
            keyword_ranking=np.array([position[r] for r in keyword_rows.tolist()], dtype=np.int64),
            cross=cross.astype(bool),
        )

    def best_sentence(self, vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Cosine of the best-matching sentence of each chunk row (see `rerank.best_sentence_scores`)."""
        return best_sentence_scores(vector, rows, self._sentence_vectors, self._sentence_ptr)

    def _hits(self, rows: np.ndarray, scores: np.ndarray, latent: np.ndarray | None = None) -> list[Hit]:
        parts = np.zeros(len(rows)) if latent is None else latent
        triples = zip(rows.tolist(), scores.tolist(), parts.tolist(), strict=True)
        return [Hit(self.chunks[r], s, part) for r, s, part in triples if math.isfinite(s)]

    def sentence_hubness(self, chunk_id: str) -> np.ndarray:
        """Per sentence of a chunk, its mean cosine to its nearest sentences in the corpus's other language, less
        the mean of its own language's sentences (zeros in a corpus of one language).

        A sentence near every sentence of the other language ("履行个人信息保护职责的部门履行下列个人信息保护
        职责") is near every question in that language too, whatever it asks: a hub, which the cross-domain
        similarity local scaling of `index.crosslingual` discounts.
        """
        if self._hubness is None:
            self._hubness = _centred_hubness(self._sentence_vectors, self.row_languages[self._sentence_rows[:, 0]])
        row = self._row_of[chunk_id]
        return self._hubness[int(self._sentence_ptr[row]) : int(self._sentence_ptr[row + 1])]

    def sentences(self, chunk_id: str) -> tuple[list[Sentence], np.ndarray]:
        """The sentences of a chunk (offsets into its document's text) and their unit vectors."""
        row = self._row_of[chunk_id]
        lo, hi = int(self._sentence_ptr[row]), int(self._sentence_ptr[row + 1])
        chunk = self.chunks[row]
        text = self.documents[chunk.doc_id].text
        sentences = [Sentence(chunk_id, s, e, text[s:e]) for _, s, e in self._sentence_rows[lo:hi].tolist()]
        return sentences, self._sentence_vectors[lo:hi]


# Rows of the similarity matrix computed at once: a large bilingual corpus must not need its whole square.
HUBNESS_BLOCK = 2048


def _centred_hubness(vectors: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Per row, `hubness` against the rows of the other languages, less the mean over its own language's rows."""
    centred = np.zeros(len(vectors), dtype=np.float32)
    for language in set(languages.tolist()):
        own, other = np.flatnonzero(languages == language), np.flatnonzero(languages != language)
        if len(other):
            others = vectors[other].T
            near = np.concatenate([hubness(vectors[own[i : i + HUBNESS_BLOCK]] @ others)
                                   for i in range(0, len(own), HUBNESS_BLOCK)])
            centred[own] = near - near.mean()
    return centred


@dataclass(frozen=True)
class Candidates:
    """Candidate chunk rows with their scores; rankings list positions in ``rows``, best first.

    ``dense`` is the cosine, raised by the model's cross-lingual ranking offset where ``cross`` (the passage is
    in the other language than the query), so that the two languages compete on one scale. ``keyword`` is BM25, of
    the query or of its translation, which are on different scales: `combine` normalises them apart.
    """

    rows: np.ndarray
    dense: np.ndarray
    keyword: np.ndarray
    dense_ranking: np.ndarray
    keyword_ranking: np.ndarray
    cross: np.ndarray | None = None


def _joined(rows: np.ndarray, fused: np.ndarray, wanted: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` and a copy of their ``fused`` scores, with the ``wanted`` rows not among them appended at -inf (a
    step then sets their place). The others keep their scores and the order any earlier step gave them: fused
    again, the pool would be scaled anew."""
    present = set(rows.tolist())
    missing = list(dict.fromkeys(row for row in wanted if row not in present))
    return (np.concatenate([rows, np.array(missing, dtype=rows.dtype)]),
            np.concatenate([fused, np.full(len(missing), -np.inf, dtype=fused.dtype)]))


def combine(
    pool: Candidates, fusion: str, dense_weight: float, best_sentence: np.ndarray | None, rescore_weight: float
) -> np.ndarray:
    """Final score per candidate: RRF or the weighted blend, then optionally the sentence re-score."""
    if fusion == "rrf":
        fused = rrf_scores([pool.dense_ranking, pool.keyword_ranking], len(pool.rows))
    else:
        fused = weighted_scores(pool.dense, pool.keyword, dense_weight=dense_weight, keyword_groups=pool.cross)
    if best_sentence is not None and rescore_weight > 0:
        fused = rescore(fused, best_sentence, weight=rescore_weight)
    return fused


_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Words English capitalises that name nothing a fact is about: months, weekdays, titles before a name.
_CAPITALISED_WORDS = frozenset(tokenize(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Mr Ms Mrs Dr Prof Professor President Vice Deputy Minister "
    "Director Governor Chairman Secretary General Premier Chief"
))


def _bare(word: str) -> str:
    """A word in lower case without a possessive: "Regulator's" -> "regulator"."""
    return re.sub(r"['’]s$", "", word.lower())


def _lone_capitalised(text: str) -> list[str]:
    """The capitalised words of ``text`` that stand alone, neither a sentence's first word nor next to another
    capitalised word: "Jingtech" in "Jingtech and its peers", not "Week" in "Acme Tech Week"."""
    matches = list(_WORD.finditer(text))
    lone = []
    for i, match in enumerate(matches):
        if not match.group()[0].isupper() or _sentence_start(text, match.start()):
            continue
        neighbours = [m for m in (matches[i - 1] if i else None, matches[i + 1] if i + 1 < len(matches) else None)
                      if m is not None and not text[min(m.end(), match.end()):max(m.start(), match.start())].strip()]
        if not any(m.group()[0].isupper() for m in neighbours):
            lone.append(match.group())
    return lone


# A name written out: capitalised words, perhaps joined by small words ("People's Bank of China").
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|on)\s+)?[A-Z][\w'’-]*)+")
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "on"})


def _initialisms(words: list[str]) -> set[str]:
    """The initials of every stretch of two or more capitalised words of a name, with and without its small
    words: "Acme Cargo Alliance Co" gives ACA, ACAC, CA, ...; "Bank of China" gives BC and BOC."""
    found = set()
    for start in range(len(words)):
        if words[start] in _SMALL_WORDS:
            continue
        for end in range(start + 2, len(words) + 1):
            stretch = words[start:end]
            if stretch[-1] in _SMALL_WORDS:
                continue
            found.add("".join(w[0] for w in stretch).upper())
            found.add("".join(w[0] for w in stretch if w not in _SMALL_WORDS).upper())
    return found


def _abbreviation(word: str) -> bool:
    """Two capitals are mostly an everyday abbreviation (HR, HQ, IM), not the name a fact is about."""
    return word.isupper() and len(word) <= 2


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n"


# A law described by its year and words of its name: "the 2016 cyber law", "2021年那部数据法". Not a time ("in 2024
# the CAC proposed rules"): the year stands right before the describing words.
_LAW_DESCRIBED = re.compile(
    r"(?<!\d)(?<!\bin )(?<!\bsince )(?<!\bby )(?<!\buntil )(?P<year>(?:19|20)\d\d)(?:'s|’s)?\s+"
    r"(?P<words>(?:[A-Za-z-]+\s+){1,3}?)(?:laws?|statutes?|rules|regulations?|regs)\b|"
    r"(?<!\d)(?P<year_zh>(?:19|20)\d\d)年(?:的|那部|这部|出台的|发布的|颁布的)?(?P<words_zh>[\u4e00-\u9fff]{2,6}?)(?:法|条例)",
    re.I,
)


def _describes(words: str, names: tuple[str, ...]) -> bool:
    """Whether every one of ``words`` begins a word of one of ``names`` ("cyber" of "Cybersecurity Law"), or the
    Chinese ``words`` stand in one of them ("数据" in 数据安全法)."""
    if CJK.search(words):
        return any(words in name for name in names)
    name_words = {w for name in names if not CJK.search(name) for w in re.split(r"[\s-]+", name.lower())}
    name_words -= _SMALL_WORDS  # the "of" and "the" of "Cybersecurity Law of the PRC" describe no law
    return all(any(n.startswith(w) for n in name_words) for w in re.split(r"[\s-]+", words.lower().strip()) if w)


def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``names`` as whole words (case ignored); a Chinese name also inside a Chinese sentence, and a Latin
    one next to Chinese characters ("据WallStreetPR的文章", "PIPL第几条")."""
    latin = r"[A-Za-z0-9_-]"
    alternatives = [re.escape(n) if CJK.search(n) else rf"(?<!{latin}){_with_shorthand(n)}(?!{latin})"
                    for n in names if n]
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)), re.IGNORECASE)


def _with_shorthand(name: str) -> str:
    """``name`` as a pattern that also takes the usual short forms of its generic words (`SHORTHAND`)."""
    words = [re.escape(w) if w.lower() not in SHORTHAND else
             "(?:" + "|".join(map(re.escape, (w, *SHORTHAND[w.lower()]))) + ")" for w in name.split()]
    return r"\s+".join(words)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'"))


def _read_manifest(index_dir: Path) -> dict:
    manifest = read_manifest(index_dir)
    if manifest["format"] != FORMAT_VERSION:
        raise damaged(index_dir, f"it has format {manifest['format']}, this regbot reads {FORMAT_VERSION}", manifest)
    return manifest


def _load_encoder(index_dir: Path, manifest: dict) -> Embedder:
    """The model as it ran when the index was built: query vectors must come from the same encoder."""
    record = manifest.get("encoder", {"name": "torch"})  # indexes from before encoders were recorded
    if not isinstance(record, dict) or record.get("name") not in ONNX_ENCODERS:
        return load_embedder(manifest["model"])
    path = index_dir / ENCODER_FILE
    try:
        intact = file_digest(path) == record.get("sha256")
    except OSError:
        intact = False
    if not intact:  # checked on every load: the loaded model is cached by path and digest, the file may change
        raise damaged(index_dir, f"its {ENCODER_FILE} is missing or damaged", manifest)
    return load_embedder(manifest["model"], encoder=record["name"], onnx_file=path, sha256=record.get("sha256", ""))


def _check_consistency(
    index_dir: Path, manifest: dict, chunks: list[Chunk], arrays: dict[str, np.ndarray], store: VectorStore | None
) -> None:
    counts = {
        "manifest n_chunks": manifest.get("n_chunks"),
        "chunks.jsonl": len(chunks),
        "embeddings.npy": len(arrays["embeddings"]),
        "vectors.faiss": store.size if store else 0,
    }
    sentence_counts = {
        "manifest n_sentences": manifest.get("n_sentences"),
        "sentences.npy": len(arrays["sentences"]),
        "sentence_vectors.npy": len(arrays["sentence_vectors"]),
    }
    for group in (counts, sentence_counts):
        if len(set(group.values())) != 1:
            detail = ", ".join(f"{k}={v}" for k, v in group.items())
            raise damaged(index_dir, f"its files disagree ({detail})", manifest)
