"""Chinese word segmentation (jieba), loaded once on first use: its dictionary takes about a second.

    segment("个人信息处理者向境外提供个人信息")          # ['个人', '信息处理', '者', '向', '境外', '提供', '个人信息']
    segment_for_search("关键信息基础设施运营者")       # ['关键', '信息', '基础', '设施', '基础设施', '运营', '运营者']
"""

from __future__ import annotations

import logging
from functools import lru_cache

from .language import CJK


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - the module
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints its dictionary loading at INFO on every start
    jieba.initialize()
    return jieba


def segment(text: str) -> list[str]:
    """The words of ``text`` (jieba's accurate mode), whitespace dropped."""
    return [w for w in _jieba().lcut(text) if w.strip()]


def segment_for_search(text: str) -> list[str]:
    """Words and the shorter words inside long ones, for indexing and matching."""
    return [w for w in _jieba().lcut_for_search(text) if w.strip()]


def chinese_words(text: str, *, min_chars: int = 2) -> list[str]:
    """The words of ``text`` made only of Chinese characters and at least ``min_chars`` long."""
    return [w for w in segment(text) if len(w) >= min_chars and all(CJK.match(ch) for ch in w)]
