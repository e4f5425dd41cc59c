"""The answer engine: a question in, a cited answer or a plain abstention out. It knows nothing of Slack.

    from bot.engine import AnswerEngine
    engine = AnswerEngine.from_settings(Settings.from_env())
    result = engine.answer("How much was Didi fined?")
    result.text, [(c.n, c.doc_id, c.quote) for c in result.citations]

Modules, one stage each: `records` (what crosses stage boundaries), `question` and `answer_types` (reading
the question), `compose` (choosing and quoting sentences) with `ranking` (its learned corrections),
`answerability` (deciding that the sources do not answer), `fitted` (reading their weight files), `generate`
(the optional LLM), and `engine` (the flow). Names load lazily, so importing the records never pulls in FAISS
or a model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Answer, Citation

if TYPE_CHECKING:
    from .engine import ABSTAIN_TEXT, AnswerEngine, BadQuestion, clean_question, default_engine

__all__ = ["ABSTAIN_TEXT", "Answer", "AnswerEngine", "BadQuestion", "Citation", "clean_question", "default_engine"]
_LAZY = {"ABSTAIN_TEXT", "AnswerEngine", "BadQuestion", "clean_question", "default_engine"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'bot.engine' has no attribute {name!r}")
