"""A question's words in the corpus's other language, found by the multilingual embedding model.

No translation model exists offline, and a hand-written bilingual glossary covers only the words its author
thought of. The multilingual model, though, places 阿里巴巴 near "Alibaba", 未成年人 near "minors" and 工信部
near "MIIT". So at build time the index keeps the words of each language's documents (English words and
names; Chinese words as jieba segments them) with their vectors, and at query time each content word of the
question is replaced by the nearest word of the other language when it is close enough. BM25 then searches
the other language's passages with those words::

    lexicon = Lexicon.build(documents, embedder)
    lexicon.translate("Do minors need their parents' consent?", "en")     # '未成年人 父母 同意'

A wrong neighbour costs little: it only adds a keyword to a search whose other signals still count. Neighbours
are often loose ("fine" → 一定), so an English word also brings the Chinese sense a dictionary gives it
(`index.dictionary`: "fine" → 罚款). Some words, though, are near everything ("hubs": 社会, 一般), and plain
nearest neighbours would map many question words to them; so the neighbour is chosen by cross-domain
similarity local scaling (CSLS, Conneau et al., 2018, "Word translation without parallel data"): the cosine,
less how close each of the two words is on average to its ``HUB_NEIGHBOURS`` nearest words of the other
language.

Chinese names of people and firms are romanised in English text by pinyin (刘烈宏 → "Liu Liehong", 滴滴 →
"Didi"), which the model knows only vaguely; so a Chinese question's runs of two to four characters are also
romanised (pypinyin) and looked up among the corpus's English names.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dictionary import Glossary, Thesaurus
from .keyword import STOPWORDS
from .records import Document
from .segment import chinese_words, segment
from .terminology import load_terminology

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "zh")
# Words too common in statutes to carry meaning ("shall", "other", "relevant", "in accordance with").
ZH_STOPWORDS = frozenset(
    "应当 可以 或者 以及 有关 进行 规定 其他 依照 按照 对于 根据 并且 不得 本法 本条例 之一 相关 相应 "
    "我们 你们 他们 什么 怎么 如何 哪些 是否 需要 一个 这个 那个 还是 就是 没有 可能 现在".split()
)
_EN_STOPWORDS = STOPWORDS | frozenset(
    "said says also would could should may might must year years new last first one two get got does did "
    "need needs anything something thing things like really kind sort mean means".split()
)
# Words that ask, join or count rather than say what a question is about: their synonyms would look for the
# answer's kind (多少 → 数额) or for anything (是 "correct" → 改正, 得 "obtain" → 取得, 全 "whole" → 整体).
ZH_FUNCTION_WORDS = frozenset(
    "多少 几 哪 哪个 哪里 哪儿 谁 啥 吗 呢 么 吧 啊 多久 多长 几个 怎样 怎么样 咋 是 的 了 在 有 和 与 及 或 被 把 给 让 "
    "对 从 向 到 就 都 也 还 又 要 会 能 可 得 个 这 那 该 等 之 其 为 以 于 而 并 但 则 即 如 若 将 已 不 没 无 很 更 最 "
    "些 每 各 全 所有 整个 任何 一些 去 来 做 搞 弄 说".split()
)
# A law's references to its own parts ("第五十七条", "第二章") name no concept: any question word lands on them.
_REFERENCE = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+[条章节款项]?")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_EN_NAME = re.compile(r"\b[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*)+")


# Changes whenever what counts as a lexicon word changes, so that indexes built before get their lexicon rebuilt
# (from the vectors they hold: a dropped word costs nothing, only a new one is embedded).
TERMS_ID = hashlib.sha256(
    "|".join([_REFERENCE.pattern, _EN_WORD.pattern, _EN_NAME.pattern, *sorted(ZH_STOPWORDS), *sorted(_EN_STOPWORDS)])
    .encode()
).hexdigest()[:12]


def terms(text: str, language: str) -> list[str]:
    """The content words of ``text``: Chinese words (two characters or more), or English words of three
    letters or more and, in an English text, its capitalised names ("Full Truck Alliance")."""
    if language == "zh":
        return [w for w in dict.fromkeys(chinese_words(text)) if w not in ZH_STOPWORDS and not _REFERENCE.fullmatch(w)]
    words = [w.lower() for w in _EN_WORD.findall(text) if w.lower() not in _EN_STOPWORDS]
    return list(dict.fromkeys([*words, *_EN_NAME.findall(text)]))


def query_terms(question: str, language: str) -> list[str]:
    """What of a question is looked up: its content words and, in English, pairs of neighbouring ones
    ("personal information" means more than "personal" and "information")."""
    found = terms(question, language)
    if language != "en":
        return found[:MAX_QUERY_TERMS]
    words = [w.lower() for w in _EN_WORD.findall(question) if w.lower() not in _EN_STOPWORDS]
    pairs = (f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return list(dict.fromkeys([*found, *pairs]))[:MAX_QUERY_TERMS]


# The most terms of one question looked up, each a model input when new: the longest of our 3,400 questions has
# 59 with its acronyms expanded, while a pasted page of distinct words has a thousand and held a worker a minute.
MAX_QUERY_TERMS = 64
# Query terms whose vectors are kept (a few MB), so a word asked about before costs no model call.
TERM_CACHE = 20_000
# A romanisation shorter than this matches too many English words by chance ("fan", "ban").
MIN_ROMANISED = 4
# CSLS's neighbourhood size (the paper's).
HUB_NEIGHBOURS = 10


def hubness(similarity: np.ndarray) -> np.ndarray:
    """Per row, the mean cosine to its ``HUB_NEIGHBOURS`` nearest columns."""
    k = min(HUB_NEIGHBOURS, similarity.shape[1])
    if k == 0:
        return np.zeros(similarity.shape[0], dtype=np.float32)
    return np.partition(similarity, -k, axis=1)[:, -k:].mean(axis=1)


def nearest_by_csls(similarity: np.ndarray, column_hubness: np.ndarray) -> np.ndarray:
    """Per row (a query word), the column (a word of the other language) with the best CSLS score
    ``2 cos - hubness(row) - hubness(column)``; the row's own hubness does not change its choice."""
    return (2 * similarity - column_hubness[None, :]).argmax(axis=1)


def counterparts(similarity: np.ndarray, column_hubness: np.ndarray, min_similarity: float) -> list[int | None]:
    """Per row (a query word), the column CSLS chooses (`nearest_by_csls`) if that column is itself at least
    ``min_similarity`` close by cosine, else None: a word far from everything of the other language has no
    counterpart, and CSLS, which discounts hubs, can prefer a farther, rarer word to a close hub."""
    best = nearest_by_csls(similarity, column_hubness)
    return [int(j) if similarity[i, j] >= min_similarity else None for i, j in enumerate(best.tolist())]


def romanised(term: str) -> str:
    """An English term as pinyin would spell it: lower case, letters only ("Liu Liehong" → "liuliehong")."""
    return re.sub(r"[^a-z]", "", term.lower())


def _name_runs(term: str) -> list[str]:
    """A term and, when it is a run of capitalised words, its runs of two or three of them: a name stands in a
    longer one ("Jane Roe" in "Central Bank Governor Jane Roe")."""
    words = term.split()
    if len(words) < 3:
        return [term]
    runs = [" ".join(words[i : i + size]) for size in (3, 2) for i in range(len(words) - size + 1)]
    return [term, *(run for run in runs if all(w[:1].isupper() for w in run.split()))]


def _pinyin_windows(question: str) -> list[tuple[str, str]]:
    """Every run of two to four Chinese characters of ``question``, with its romanisation."""
    from pypinyin import lazy_pinyin

    found = []
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", question):
        syllables = lazy_pinyin(run)
        for size in (2, 3, 4):
            found += [(run[i : i + size], "".join(syllables[i : i + size])) for i in range(len(syllables) - size + 1)]
    return found


@dataclass(frozen=True)
class Translation:
    """A question's words in the other language, and the share of its terms that found one (a question about
    the weather finds few: its translation alone would make any passage look on topic)."""

    text: str
    coverage: float
    # Terms of art the question uses (`index.terminology`), each whole: "个人信息保护负责人" for "privacy officer".
    terms: tuple[str, ...] = ()

    @property
    def searched(self) -> str:
        """What keyword search looks for: the words and the terms."""
        return " ".join([self.text, *self.terms]).strip()


class Lexicon:
    """The words of each language of a corpus and their vectors (queries' side of the model)."""

    def __init__(
        self, words: dict[str, list[str]], vectors: dict[str, np.ndarray], *, term_cache: int = TERM_CACHE
    ) -> None:
        self.words = words
        self.vectors = vectors
        self.term_cache = term_cache
        # The corpus's own words have their vectors here already: the model gives a text the same vector in
        # any batch, so a question's words that the corpus uses need no pass of the model.
        self._cache: dict[str, np.ndarray] = self.vector_of()
        self._by_romanisation = {
            key: name for term in words.get("en", ()) for name in _name_runs(term)
            if len(key := romanised(name)) >= MIN_ROMANISED
        }
        self._hubs: dict[str, np.ndarray] | None = None
        self._glossary: Glossary | None = None  # built on first use: reading the dictionary takes ~0.1 s
        self._thesaurus: Thesaurus | None = None  # the same
        self._zh_rows: dict[str, int] = {}

    def hubness(self, language: str) -> np.ndarray:
        """How close each word of ``language`` is on average to its nearest words of the other language."""
        if self._hubs is None:
            en, zh = (self.vectors.get(lang, np.zeros((0, 0), dtype=np.float32)) for lang in LANGUAGES)
            across = en @ zh.T if len(en) and len(zh) else np.zeros((len(en), len(zh)), dtype=np.float32)
            self._hubs = {"en": hubness(across), "zh": hubness(across.T)}
        return self._hubs[language]

    @classmethod
    def build(cls, documents: Iterable[Document], embedder, *, previous: Lexicon | None = None) -> Lexicon:
        """The lexicon of ``documents``; words already in ``previous`` keep their vectors (no re-embedding)."""
        by_language: dict[str, dict[str, None]] = {lang: {} for lang in LANGUAGES}
        for doc in documents:
            if doc.language in by_language:
                by_language[doc.language].update(dict.fromkeys(terms(doc.text, doc.language)))
        words = {lang: sorted(found) for lang, found in by_language.items()}
        known = previous.vector_of() if previous else {}
        fresh = [w for lang in LANGUAGES for w in words[lang] if w not in known]
        if fresh:
            logger.info("embedding %d new lexicon words", len(fresh))
            known.update(zip(fresh, embedder.encode_queries(fresh), strict=True))
        dim = embedder.dim
        vectors = {lang: np.array([known[w] for w in words[lang]], dtype=np.float32).reshape(-1, dim)
                   for lang in LANGUAGES}
        return cls(words, vectors)

    def _term_vectors(self, terms: list[str], embedder) -> np.ndarray:
        """The query-side vectors of ``terms``, each embedded once per process (questions share most words)."""
        cache = self._cache  # one dict throughout: another thread may replace a full one
        if len(cache) > self.term_cache and any(t not in cache for t in terms):
            cache = self._cache = self.vector_of()
        # Looked for in the dict kept: a full one just replaced has lost the words of earlier questions.
        fresh = [t for t in dict.fromkeys(terms) if t not in cache]
        if fresh:
            cache.update(zip(fresh, embedder.encode_queries(fresh), strict=True))
        return np.stack([cache[t] for t in terms])

    def vector_of(self) -> dict[str, np.ndarray]:
        return {w: v for lang in LANGUAGES for w, v in zip(self.words[lang], self.vectors[lang], strict=True)}

    def translate(self, question: str, language: str, embedder, *, min_similarity: float) -> Translation:
        """The other language's nearest word (by CSLS) for each term of ``question`` that has one at least
        ``min_similarity`` away (cosine), space-separated, and the share of its terms that found one."""
        other = "zh" if language == "en" else "en"
        candidates = query_terms(question, language)
        if not candidates or not len(self.words.get(other, ())):
            return Translation("", 0.0)
        similarity = self._term_vectors(candidates, embedder) @ self.vectors[other].T
        chosen = counterparts(similarity, self.hubness(other), min_similarity)
        found = [self.words[other][j] for j in chosen if j is not None]
        matched = len(found)
        # The dictionary's sense nearest to each term joins its neighbour; coverage stays the neighbours' share,
        # since a dictionary translates everyday words too (a question about the weather is still off topic).
        found += self._senses(candidates, language, similarity)
        if language == "zh":
            names = [name for _, name in self.romanised_names(question)]
            found, matched = found + names, matched + len(set(names))
        terms = tuple(load_terminology().terms_for(question, language))
        return Translation(" ".join(dict.fromkeys(found)), min(1.0, matched / len(candidates)), terms)

    def senses(self, text: str, embedder) -> list[str]:
        """The dictionary's Chinese sense, among the corpus's words, of each word of the English ``text`` that
        has one: ``senses("the fine for a breach")`` -> ``["罚款"]`` ("breach" has none the laws use)."""
        candidates = [t for t in query_terms(text, "en") if " " not in t]
        if not candidates or not len(self.words.get("zh", ())):
            return []
        return self._senses(candidates, "en", self._term_vectors(candidates, embedder) @ self.vectors["zh"].T)

    def _senses(self, terms: list[str], language: str, similarity: np.ndarray) -> list[str]:
        """Per English term, of the dictionary's Chinese senses the corpus uses, the one nearest by
        ``similarity`` (rows: ``terms``; columns: the Chinese words)."""
        if language != "en":
            return []
        if self._glossary is None:  # rows first: another thread may read them once the glossary is set
            self._zh_rows = {word: i for i, word in enumerate(self.words["zh"])}
            self._glossary = Glossary.of(self.words["zh"], _EN_STOPWORDS)
        found = []
        for i, term in enumerate(terms):
            if senses := self._glossary.senses(term):
                found.append(max(senses, key=lambda word: similarity[i, self._zh_rows[word]]))
        return found

    def synonyms(self, question: str) -> list[str]:
        """The corpus's Chinese words a dictionary gives the sense of the Chinese ``question``'s words that the
        corpus lacks (`index.dictionary.Thesaurus`): ``synonyms("用户数据能留多久")`` -> ``["留存", "保存", "保留"]``."""
        if self._thesaurus is None:
            self._thesaurus = Thesaurus.of(self.words.get("zh", ()))
        words = [w for w in dict.fromkeys(segment(question))
                 if _CJK_WORD.fullmatch(w) and w not in ZH_STOPWORDS and w not in ZH_FUNCTION_WORDS]
        return [synonym for word in words for synonym in self._thesaurus.synonyms(word)]

    def romanised_names(self, question: str) -> list[tuple[str, str]]:
        """The corpus's English names that runs of the Chinese ``question`` spell in pinyin, with those runs:
        ``[("阿里巴巴", "Alibaba")]``."""
        return [(run, self._by_romanisation[r]) for run, r in _pinyin_windows(question) if r in self._by_romanisation]

    def save(self, directory: Path) -> None:
        (directory / "lexicon.json").write_text(json.dumps(self.words, ensure_ascii=False))
        np.save(directory / "lexicon_vectors.npy", np.concatenate([self.vectors[lang] for lang in LANGUAGES]))

    @classmethod
    def load(cls, directory: Path) -> Lexicon | None:
        """The saved lexicon, or None when the index has none (a corpus in one language)."""
        if not (directory / "lexicon.json").exists():
            return None
        words = json.loads((directory / "lexicon.json").read_text())
        stacked = np.load(directory / "lexicon_vectors.npy")
        if not isinstance(words, dict) or sum(len(words.get(lang, ())) for lang in LANGUAGES) != len(stacked):
            raise ValueError("lexicon.json and lexicon_vectors.npy disagree")
        vectors, at = {}, 0
        for lang in LANGUAGES:
            n = len(words.get(lang, ()))
            vectors[lang], at = stacked[at : at + n], at + n
        return cls({lang: list(words.get(lang, ())) for lang in LANGUAGES}, vectors)


def is_multilingual(documents: Sequence[Document]) -> bool:
    """Whether the corpus has documents in more than one language (only then is a lexicon worth building)."""
    return len({d.language for d in documents}) > 1
