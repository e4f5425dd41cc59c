"""Learned query expansion across languages: a question term's links to the words of the articles that answer
questions using it.

The lexicon (`index.crosslingual`) translates a question word by word, which misses how a Chinese law words
what an English question asks: "officer" is 负责人 there, "commencement" 施行, "logs" 日志. These links are
learned from the English questions of our development sets and the Chinese articles that answer them
(``scripts/train_expansion.py``, which also measures them on held-out sets) and kept in ``expansion.json``; the
keyword side of retrieval adds them to a question's translation.

    expansion("Who must appoint a personal information protection officer?", "en")  # [..., '负责人', ...]
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

from .keyword import tokenize

logger = logging.getLogger(__name__)

LINKS_PATH = Path(__file__).with_name("expansion.json")


@lru_cache(maxsize=1)
def load_links() -> dict[str, dict[str, list[str]]]:
    """{question language: {keyword token: linked words}}; empty (no expansion) when the file is unreadable."""
    try:
        return json.loads(LINKS_PATH.read_text(encoding="utf-8"))["links"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("query expansion off: %s is unreadable (%s); rerun scripts/train_expansion.py", LINKS_PATH,
                       error)
        return {}


def expansion(query: str, language: str) -> list[str]:
    """The other language's words linked to the terms of ``query`` (asked in ``language``), each once."""
    links = load_links().get(language, {})
    return list(dict.fromkeys(word for term in dict.fromkeys(tokenize(query)) for word in links.get(term, ())))
