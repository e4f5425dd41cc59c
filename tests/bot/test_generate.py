"""Generative mode against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.engine import AnswerEngine
from bot.engine.generate import OpenAICompatibleGenerator


class FakeLLM:
    """Answers /v1/chat/completions with a scripted reply; records each request."""

    def __init__(self) -> None:
        self.reply = ""
        self.delay = 0.0
        self.drip = 0.0  # seconds between the bytes of the reply's body
        self.requests: list[tuple[dict, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((dict(self.headers), body))
                time.sleep(fake.delay)
                payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": fake.reply}}]})
                try:
                    self.send_response(200 if self.path == "/v1/chat/completions" else 404)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    for i in range(0, len(payload), 1 if fake.drip else len(payload)):
                        self.wfile.write(payload[i : i + 1 if fake.drip else None].encode())
                        self.wfile.flush()
                        time.sleep(fake.drip)
                except BrokenPipeError:  # the client timed out first, as the timeout test intends
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def engine_for(retriever, llm: FakeLLM, timeout: float = 5.0) -> AnswerEngine:
    generator = OpenAICompatibleGenerator(llm.url, "local-model", api_key="sk-test-secret", timeout=timeout)
    return AnswerEngine(retriever, generator=generator)


def passage_number(request_body: dict, doc_fragment: str) -> int:
    prompt = request_body["messages"][1]["content"]
    for n, passage in re.findall(r"\[(\d+)\] (.*?)(?=\n\n\[\d+\] |\n\nQuestion:)", prompt, re.S):
        if doc_fragment in passage:
            return int(n)
    raise AssertionError(f"{doc_fragment!r} not in any passage of the prompt")


def test_a_good_completion_is_kept_with_verified_quotes(retriever, llm):
    engine = engine_for(retriever, llm)
    llm.reply = "placeholder"
    engine.answer("How much was Didi fined?")  # learn the passage numbering the engine sends
    n = passage_number(llm.requests[-1][1], "$1.2 billion")
    llm.reply = f"Didi was fined $1.2 billion for violating data security rules [{n}]."
    answer = engine.answer("How much was Didi fined?")
    assert answer.mode == "generative"
    assert answer.text == "Didi was fined $1.2 billion for violating data security rules. [1]"
    (citation,) = answer.citations
    assert "$1.2 billion" in citation.quote
    assert retriever.documents[citation.doc_id].text[citation.start : citation.end] == citation.quote
    headers, body = llm.requests[-1]
    assert headers["Authorization"] == "Bearer sk-test-secret"
    assert body["model"] == "local-model"


def test_invented_citations_and_unsupported_numbers_are_dropped(retriever, llm):
    engine = engine_for(retriever, llm)
    llm.reply = "placeholder"
    engine.answer("How much was Didi fined?")
    n = passage_number(llm.requests[-1][1], "$1.2 billion")
    llm.reply = (
        f"Didi was fined $1.2 billion [{n}]. It also paid $9 billion in back taxes [{n}]. "
        "The CEO resigned in protest [9]. Regulators were pleased."
    )
    answer = engine.answer("How much was Didi fined?")
    assert answer.mode == "generative"
    assert answer.text == "Didi was fined $1.2 billion. [1]"
    assert len(answer.citations) == 1


def test_timeout_falls_back_to_the_extractive_answer(retriever, llm):
    llm.reply, llm.delay = "Didi was fined $1.2 billion [1].", 2.0
    answer = engine_for(retriever, llm, timeout=0.3).answer("How much was Didi fined?")
    assert answer.mode == "extractive"
    assert "$1.2 billion" in answer.text and answer.citations


def test_an_endpoint_sending_its_reply_slowly_is_timed_out_as_a_whole(retriever, llm):
    llm.reply, llm.drip = "Didi was fined $1.2 billion [1].", 0.05  # about 4 s for the whole reply
    answer = engine_for(retriever, llm, timeout=0.5).answer("How much was Didi fined?")
    assert answer.mode == "extractive"
    assert "$1.2 billion" in answer.text and answer.citations


def test_nothing_verifiable_falls_back_to_the_extractive_answer(retriever, llm):
    llm.reply = "Didi was fined a large amount. No citations here."
    answer = engine_for(retriever, llm).answer("How much was Didi fined?")
    assert answer.mode == "extractive" and answer.citations


def test_an_unreachable_endpoint_falls_back(retriever):
    generator = OpenAICompatibleGenerator("http://127.0.0.1:9/v1", "m", timeout=1.0)
    answer = AnswerEngine(retriever, generator=generator).answer("How much was Didi fined?")
    assert answer.mode == "extractive" and answer.citations


def test_a_non_http_url_is_rejected():
    with pytest.raises(ValueError, match="ftp://x"):
        OpenAICompatibleGenerator("ftp://x", "m")
