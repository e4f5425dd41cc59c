"""The lexicon that carries a question's words into the corpus's other language."""

from __future__ import annotations

import numpy as np

from index.crosslingual import (
    HUB_NEIGHBOURS,
    Lexicon,
    MAX_QUERY_TERMS,
    counterparts,
    hubness,
    nearest_by_csls,
    query_terms,
    terms,
)


def test_a_word_close_to_everything_does_not_take_every_translation():
    # Column 0 is a hub: about as close to every query word as their true translations are (columns 1..n),
    # which plain nearest neighbours would then lose to it. CSLS discounts it by its closeness to all.
    n = HUB_NEIGHBOURS + 2
    similarity = np.full((n, n + 1), 0.70)
    similarity[:, 0] = 0.90
    similarity[np.arange(n), np.arange(1, n + 1)] = 0.88
    column_hubness = hubness(similarity.T)
    assert (similarity.argmax(axis=1) == 0).all()
    assert (nearest_by_csls(similarity, column_hubness) == np.arange(1, n + 1)).all()


def test_a_specific_word_keeps_its_nearest_neighbour():
    similarity = np.array([[0.95, 0.70, 0.60], [0.60, 0.72, 0.91]])
    assert nearest_by_csls(similarity, hubness(similarity.T)).tolist() == [0, 2]


def test_hubness_of_an_empty_vocabulary_is_zero():
    assert hubness(np.zeros((3, 0))).tolist() == [0.0, 0.0, 0.0]


def test_a_counterpart_must_itself_be_close_not_only_the_best_by_csls():
    # Row 0: CSLS prefers column 1 (column 0 is a hub), and column 1 is close enough: it is the counterpart.
    # Row 1: CSLS prefers column 2 over the hub, but column 2 is far by cosine: no counterpart, although the
    # hub itself is close; row 2 is close to nothing.
    similarity = np.array([[0.93, 0.90, 0.50], [0.92, 0.40, 0.80], [0.50, 0.40, 0.30]])
    column_hubness = np.array([0.90, 0.40, 0.30])
    assert nearest_by_csls(similarity, column_hubness).tolist() == [1, 2, 1]
    assert counterparts(similarity, column_hubness, min_similarity=0.86) == [1, None, None]


def test_a_laws_references_to_its_own_parts_are_no_words_to_translate_to():
    # Any English word would land on "第五十七条": it names no concept.
    words = terms("第五十七条 违反本法第二十一条规定的，由有关主管部门责令改正，处一万元以上罚款。", "zh")
    assert "主管部门" in words and "罚款" in words
    assert not {"第五十七条", "第二十一条", "第五十七", "第二十一"} & set(words)


def test_a_pasted_page_looks_up_a_bounded_number_of_terms_and_a_question_all_of_its_own():
    page = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(2000))
    assert len(query_terms(page, "en")) == MAX_QUERY_TERMS
    assert len(query_terms("这是" + "，".join(f"词语{i}号条款" for i in range(500)), "zh")) <= MAX_QUERY_TERMS
    question = "Do minors under fourteen need their parents' consent before an app collects personal information?"
    assert "personal information" in query_terms(question, "en")


def test_a_chinese_questions_everyday_words_find_their_synonyms_and_its_function_words_none():
    words = ["留存", "保存", "删除", "改正", "数额", "整体"]
    lexicon = Lexicon({"en": [], "zh": words}, {"en": np.zeros((0, 4)), "zh": np.zeros((len(words), 4))})
    found = lexicon.synonyms("用户数据能留多久？删掉的话罚款是多少？负责人全名叫什么？")
    assert {"留存", "保存", "删除"} <= set(found)
    # 是 ("correct") is no 改正, 多少 asks for an amount rather than being about one, 全 counts ("whole").
    assert "改正" not in found and "数额" not in found and "整体" not in found


def test_a_full_term_cache_starts_again_without_losing_a_questions_earlier_words(embedder):
    # Once the cache of query words is full it starts again from the corpus's words: a question whose words
    # were cached before (not the corpus's) must still be translated, not fail on a word the new cache lacks.
    words = {"en": ["consent", "fine"], "zh": ["同意", "罚款"]}
    vectors = {lang: embedder.encode_queries(found) for lang, found in words.items()}
    lexicon = Lexicon(words, vectors, term_cache=3)
    for question in ("Is a beyond-the-border transfer fine?", "Does consent go beyond the contract?",
                     "Beyond consent, is the fine final?"):
        translation = lexicon.translate(question, "en", embedder, min_similarity=0.0)
        assert set(translation.text.split()) <= {"同意", "罚款"} and translation.text, question
