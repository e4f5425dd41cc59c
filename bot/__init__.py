"""regbot's answer engine and Slack bot.

    from bot import answer
    result = answer("How much was Didi fined?")
    print(result.text)                       # verbatim sentences with [n] markers
    for c in result.citations:
        print(f"[{c.n}] {c.title} — “{c.quote}”")

`answer()` uses a process-wide engine over the default index (built on first use). For control over the
index, retrieval method or an LLM endpoint, build `bot.engine.AnswerEngine` yourself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .engine.records import Answer, Citation

if TYPE_CHECKING:
    from .engine import AnswerEngine

__all__ = ["Answer", "Citation", "answer", "AnswerEngine"]


def answer(question: str, *, context: Sequence[str] = ()) -> Answer:
    """Answer ``question`` from the default corpus; ``context`` = earlier questions of the conversation.

    Raises TypeError for a non-string and ValueError (with a message fit for the user) for an empty question.
    """
    from .engine import clean_question, default_engine

    clean_question(question)  # reject bad input before loading the model
    return default_engine().answer(question, context=context)


def __getattr__(name: str) -> object:
    if name == "AnswerEngine":
        from .engine import AnswerEngine

        return AnswerEngine
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
