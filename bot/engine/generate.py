"""Optional generative answers from an OpenAI-compatible chat endpoint (llama.cpp, vLLM, Ollama, ...).

    generator = OpenAICompatibleGenerator("http://127.0.0.1:8080/v1", "qwen2.5-7b-instruct", timeout=20)
    text, citations = generator.compose(question, hits, scored_sentences)

The model sees numbered passages and must cite them as [n]. Its output is trusted only sentence by
sentence: a sentence survives if it cites a passage that exists and every number and proper name it
states appears in a passage it cites. Each surviving citation quotes the cited passage's sentence closest
to the claim, verbatim. If nothing survives, or the call fails or times out, `GenerationFailed` is raised
and the engine falls back to the extractive answer.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Protocol

from index.chunking import split_sentences
from index.records import Hit

from .records import Citation, ScoredSentence

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You answer questions about Chinese data regulation for employees. Use ONLY the numbered passages. "
    "Write at most three short sentences. End every sentence with the number of the passage it comes from, "
    "like [1]. Copy numbers, amounts and names exactly. If the passages do not answer the question, reply "
    "exactly: NOT COVERED"
)
_MARKER = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(?:[A-Z][a-zA-Z]+)*\b")


class GenerationFailed(RuntimeError):
    """The endpoint failed, timed out, or produced nothing that could be verified."""


class Generator(Protocol):
    def compose(
        self, question: str, hits: Sequence[Hit], scored: Sequence[ScoredSentence]
    ) -> tuple[str, list[Citation]]: ...


class OpenAICompatibleGenerator:
    """Calls ``POST {base_url}/chat/completions``; ``api_key`` is sent as a bearer token and never logged."""

    def __init__(self, base_url: str, model: str, *, api_key: str = "", timeout: float = 20.0) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm_url={base_url!r} must be an http(s) URL")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self._api_key = api_key
        self.timeout = timeout

    def compose(
        self, question: str, hits: Sequence[Hit], scored: Sequence[ScoredSentence]
    ) -> tuple[str, list[Citation]]:
        completion = self._complete(question, hits)
        if completion.strip().upper().startswith("NOT COVERED"):
            raise GenerationFailed("the model says the passages do not cover the question")
        return checked_answer(completion, hits)

    def _complete(self, question: str, hits: Sequence[Hit]) -> str:
        passages = "\n\n".join(f"[{i}] {hit.title}\n{hit.text}" for i, hit in enumerate(hits, start=1))
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Passages:\n\n{passages}\n\nQuestion: {question}"},
            ],
        }
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(self.url, json.dumps(body).encode(), headers, method="POST")
        try:
            deadline = time.monotonic() + self.timeout
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(_read_by(response, deadline, self.timeout))
            return str(payload["choices"][0]["message"]["content"])
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise GenerationFailed(f"{type(exc).__name__} from {self.url}: {exc}") from None


# A completion is a few KB; an endpoint sending more is not answering the question.
MAX_RESPONSE_BYTES = 4 << 20


def _read_by(response, deadline: float, timeout: float) -> bytes:
    """The response body, or TimeoutError once ``deadline`` passes: the socket's timeout bounds each read only,
    and an endpoint sending a byte a second would hold the question for as long as it liked."""
    body = bytearray()
    while chunk := response.read1(65536):
        body += chunk
        if time.monotonic() > deadline:
            raise TimeoutError(f"no complete reply within {timeout:g} s")
        if len(body) > MAX_RESPONSE_BYTES:
            raise ValueError(f"reply longer than {MAX_RESPONSE_BYTES} bytes")
    return bytes(body)


def checked_answer(completion: str, hits: Sequence[Hit]) -> tuple[str, list[Citation]]:
    """Keep the completion's sentences whose markers and facts check out; renumber markers 1..N."""
    kept: list[tuple[str, list[int]]] = []
    for span in split_sentences(completion):
        sentence = completion[span.start : span.end]
        cited = [int(m) for m in _MARKER.findall(sentence)]
        claim = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", sentence)).strip()
        if not cited or any(not 1 <= n <= len(hits) for n in cited) or not claim:
            logger.info("dropped generated sentence with missing or out-of-range citation: %r", sentence)
            continue
        sources = " ".join(hits[n - 1].text for n in cited)
        if not _facts_supported(claim, sources):
            logger.info("dropped generated sentence whose numbers or names are not in its sources: %r", sentence)
            continue
        kept.append((claim, cited))
    if not kept:
        raise GenerationFailed("no generated sentence could be verified against its passages")
    numbering: dict[int, int] = {}
    parts = []
    for claim, cited in kept:
        marks = [numbering.setdefault(n, len(numbering) + 1) for n in dict.fromkeys(cited)]
        parts.append(claim.rstrip() + " " + "".join(f"[{m}]" for m in marks))
    citations = [_quote_for(hits[old - 1], claims_citing(kept, old), new) for old, new in numbering.items()]
    return " ".join(parts), citations


def claims_citing(kept: Sequence[tuple[str, list[int]]], n: int) -> str:
    return " ".join(claim for claim, cited in kept if n in cited)


def _facts_supported(claim: str, sources: str) -> bool:
    numbers = set(_NUMBER.findall(claim))
    # The first word of a sentence is capitalised anyway; names are the other capitalised words.
    names = {w for w in _NAME.findall(claim) if not claim.startswith(w)}
    return all(n in sources for n in numbers) and all(w in sources for w in names)


def _quote_for(hit: Hit, claim: str, n: int) -> Citation:
    """The sentence of ``hit`` sharing most words with ``claim``, as an exact quote of the chunk."""
    claim_words = set(re.findall(r"\w+", claim.lower()))
    spans = split_sentences(hit.text) or []
    best = max(spans, key=lambda s: len(claim_words & set(re.findall(r"\w+", hit.text[s.start : s.end].lower()))))
    start, end = hit.chunk.start + best.start, hit.chunk.start + best.end
    return Citation(n=n, chunk=hit.chunk, quote=hit.text[best.start : best.end], start=start, end=end)
