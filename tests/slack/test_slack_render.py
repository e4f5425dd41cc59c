"""Block Kit rendering: escaping, Slack's limits, sources vs closest sources, buttons, question parsing."""

from __future__ import annotations

import json
import re

import pytest

from bot.engine.records import Answer, Citation
from bot.slack.render import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    cap_question,
    escape,
    question_from_text,
    render_answer,
    render_notice,
    split_escaped,
    truncate_escaped,
)
from index.records import Chunk, Hit

HOSTILE = "<!channel> <!here|here> <@U123> <#C42|general> <https://evil.example|click me> & <!subteam^S1>"


def chunk(
    n: int,
    text: str = "Didi was fined 8.026 billion yuan.",
    *,
    title: str = "Didi fined",
    publisher: str = "Reuters",
) -> Chunk:
    return Chunk(
        id=f"doc{n}:0", doc_id=f"doc{n}", title=title, text=text, start=0, end=len(text), publisher=publisher
    )


def citation(n: int, quote: str = "Didi was fined 8.026 billion yuan.", **kw) -> Citation:
    c = chunk(n, quote, **kw)
    return Citation(n=n, chunk=c, quote=quote, start=0, end=len(quote))


def answer(text: str, citations=(), *, abstained: bool = False, closest=()) -> Answer:
    return Answer(
        question="q", text=text, citations=tuple(citations), abstained=abstained, closest=tuple(closest)
    )


def texts(blocks) -> list[str]:
    """Every text string in a block list (section text, context elements, button labels)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(list(blocks))
    return found


def test_escape_neutralises_pings_and_links() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert (
        escape("a &amp; b") == "a &amp;amp; b"
    )  # document text is literal: an entity in it is shown as typed


def test_hostile_text_everywhere_cannot_ping_or_link() -> None:
    ans = answer(
        f"Answer {HOSTILE} [1].", [citation(1, f"quote {HOSTILE}", title=f"T {HOSTILE}", publisher=HOSTILE)]
    )
    msg = render_answer(ans, answer_id="a1")
    payload = json.dumps(msg.as_kwargs())
    for token in ("<!channel>", "<!here", "<@U123>", "<#C42", "<https://evil", "<!subteam"):
        assert token not in payload
    assert "&lt;!channel&gt;" in msg.text
    for t in texts(msg.blocks):
        # Only our own blockquote markers may remain as a raw ">": at the start of a line.
        assert "<" not in t
        assert all(line.startswith(">") for line in t.splitlines() if ">" in line.replace("&gt;", ""))
    sections = [b for b in msg.blocks if b["type"] == "section"]
    assert all(b["text"]["verbatim"] is True for b in sections)


def test_hostile_closest_sources_are_escaped_too() -> None:
    hit = Hit(chunk=chunk(1, f"text {HOSTILE}", title=HOSTILE, publisher=HOSTILE), score=0.3)
    msg = render_answer(
        answer("The sources don't cover this.", abstained=True, closest=[hit]), answer_id="a1"
    )
    assert "<!channel>" not in json.dumps(msg.as_kwargs())


def test_answer_then_sources_then_buttons() -> None:
    ans = answer(
        "Didi was fined 8.026 billion yuan [1], by the CAC [2].",
        [citation(2, "The CAC imposed it.", title="CAC", publisher=""), citation(1)],
    )
    msg = render_answer(ans, answer_id="abc123")
    blocks = list(msg.blocks)
    assert blocks[0]["text"]["text"] == "Didi was fined 8.026 billion yuan [1], by the CAC [2]."
    assert blocks[1]["type"] == "divider"
    assert blocks[2]["text"]["text"] == "*Sources*"
    first, second = blocks[3]["text"]["text"], blocks[4]["text"]["text"]
    assert first.startswith("*[1]* *Didi fined* · _Reuters_\n> Didi was fined")  # ordered by n
    assert second == "*[2]* *CAC*\n> The CAC imposed it."
    actions = blocks[-1]
    assert actions["type"] == "actions"
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (ACTION_VOTE_UP, "abc123"),
        (ACTION_VOTE_DOWN, "abc123"),
    ]
    assert msg.text == "Didi was fined 8.026 billion yuan [1], by the CAC [2]."


def test_a_source_whose_quote_the_answer_shows_is_listed_without_it() -> None:
    quote = "Didi was fined 8.026 billion yuan."
    ans = answer(f"8.026 billion yuan [1]\n{quote} [1]", [citation(1, quote)])
    sources = render_answer(ans, answer_id="a1").blocks[3]["text"]["text"]
    assert sources == "*[1]* *Didi fined* · _Reuters_"


def test_shareable_answer_has_share_button_and_shared_copy_names_sharer() -> None:
    ans = answer("Yes [1].", [citation(1)])
    elements = render_answer(ans, answer_id="x", shareable=True).blocks[-1]["elements"]
    assert [e["action_id"] for e in elements] == [ACTION_VOTE_UP, ACTION_VOTE_DOWN, ACTION_SHARE]
    shared = render_answer(ans, answer_id="x", shared_by="U777")
    assert ACTION_SHARE not in json.dumps(shared.as_kwargs())
    assert "Shared by <@U777>" in json.dumps(shared.as_kwargs())
    assert "<!channel>" not in json.dumps(
        render_answer(ans, answer_id="x", shared_by="<!channel>").as_kwargs()
    )


def test_abstention_lists_closest_sources_never_as_support() -> None:
    hits = [Hit(chunk=chunk(i, f"Passage {i} about PIPL.", title=f"Doc {i}"), score=0.2) for i in (1, 2)]
    msg = render_answer(answer("The sources don't cover this.", abstained=True, closest=hits), answer_id="a")
    all_text = "\n".join(texts(msg.blocks))
    assert "*Closest sources*" in all_text and "do not answer" in all_text
    assert "*Sources*" not in all_text
    assert "[1]" not in all_text  # no citation markers for passages that do not support anything
    assert "Doc 1" in all_text and "Passage 2 about PIPL." in all_text


def test_abstention_without_closest_has_no_sources_header() -> None:
    msg = render_answer(answer("The sources don't cover this.", abstained=True), answer_id="a")
    assert [b["type"] for b in msg.blocks] == ["section", "actions"]


def test_long_answer_and_many_sources_stay_within_limits() -> None:
    long_text = " ".join(
        f"Sentence {i} says <b>&</b> something long enough to matter [1]." for i in range(600)
    )
    cites = [citation(i, "Q" * 5000 + " & <end>") for i in range(1, 81)]
    msg = render_answer(answer(long_text, cites), answer_id="a" * 32, shareable=True)
    assert len(msg.blocks) <= MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION_CHARS for t in texts(msg.blocks))
    assert 0 < len(msg.text) <= 3000
    assert msg.blocks[-1]["type"] == "actions" and len(msg.blocks[-1]["elements"]) == 3
    more = [t for t in texts(msg.blocks) if "more sources not shown" in t]
    assert len(more) == 1
    shown = sum(1 for t in texts(msg.blocks) if t.startswith("*["))
    assert more[0].startswith(f"…and {80 - shown} more")
    # The whole answer is kept, split over sections at sentence boundaries.
    answer_sections = [b["text"]["text"] for b in msg.blocks if b["type"] == "section"][: len(msg.blocks)]
    joined = " ".join(t for t in answer_sections if t.startswith("Sentence"))
    assert joined.split() == escape(long_text).split()
    json.dumps(msg.as_kwargs())  # serialisable as is


def test_truncate_never_splits_an_entity() -> None:
    escaped = escape("a<b>&c" * 50)
    for limit in range(2, 80):
        out = truncate_escaped(escaped, limit)
        assert len(out) <= limit
        assert not re.search(r"&[a-z]*$", out.removesuffix("…")), (limit, out)
    assert truncate_escaped("short", 10) == "short"
    with pytest.raises(ValueError, match="limit"):
        truncate_escaped("x", 0)


def test_split_keeps_everything_within_limit() -> None:
    text = escape("Para one & more.\n\n" + "word<> " * 2000 + "end.")
    pieces = split_escaped(text, 500)
    assert all(0 < len(p) <= 500 for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert not any(re.search(r"&[a-z]*$", p) for p in pieces)


def test_notice_escapes_and_sets_text() -> None:
    msg = render_notice("Question is empty <@U1>", emoji=":warning:")
    assert msg.text == "Question is empty &lt;@U1&gt;"
    assert msg.blocks[0]["text"]["text"] == ":warning: Question is empty &lt;@U1&gt;"


def test_answer_id_is_required() -> None:
    with pytest.raises(ValueError, match="answer_id"):
        render_answer(answer("x"), answer_id="")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@UBOT> What fine did Didi get?", "What fine did Didi get?"),
        ("<@UBOT|regbot>, and   when?", "and when?"),
        (
            "hey <@UBOT> ask <@U1|anna> in <#C1|legal> about <https://x.cn/a|PIPL> &amp; DSL &lt;3",
            "hey ask anna in #legal about PIPL & DSL <3",
        ),
        ("<!here> what about <https://cac.gov.cn>?", "what about https://cac.gov.cn?"),
        # Other people without a display name are dropped: the engine would refuse to answer about "U123".
        ("<@U123> how much was Didi fined?", "how much was Didi fined?"),
        ("<@W1|@Anna Li> asked: fines in <#C9>?", "Anna Li asked: fines in ?"),
        ("<!channel> <!everyone|everyone> <!subteam^S1|@legal> <!date^1392734382^{date}|Feb 18> PIPL?",
         "@legal Feb 18 PIPL?"),
        ("<mailto:dpo@corp.cn|DPO> and <tel:+861234|hotline>", "DPO and hotline"),
        # Markup typed as text (Slack escapes it) or left over from a cut: never passed on as markup.
        ("&lt;@U2&gt; and &lt;!here&gt; fines", "and fines"),
        ("<<@U1>@U2> x <http:<http: a<@U9", "< @U2> x http:http: a@U9"),
        ("<@UBOT>", ""),
        ("  \n ", ""),
    ],
)
def test_question_from_text(raw: str, expected: str) -> None:
    assert question_from_text(raw, bot_user_id="UBOT") == expected


def test_question_from_text_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="str"):
        question_from_text(None)  # type: ignore[arg-type]


def test_a_notice_goes_above_the_answer_escaped_and_within_the_block_limit() -> None:
    many = [citation(i) for i in range(1, 80)]
    msg = render_answer(answer("x [1]", many), answer_id="a1", notice="cut <!here> & more")
    assert msg.blocks[0]["type"] == "context" and "<!here>" not in json.dumps(msg.blocks)
    assert len(msg.blocks) <= MAX_BLOCKS
    plain = render_answer(answer("x [1]", many[:1]), answer_id="a1")
    assert plain.blocks[0]["type"] == "section"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ("short", False)),
        ("a b c", 3, ("a b", True)),
        ("abcdef", 3, ("abc", True)),  # no space to cut at
        ("one two three four five", 17, ("one two three", True)),  # at the last space, not mid-word
    ],
)
def test_cap_question(text: str, limit: int, expected: tuple[str, bool]) -> None:
    assert cap_question(text, limit) == expected


def test_cap_question_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        cap_question("x", 0)


def test_a_law_citation_shows_its_label_and_the_notices_within_the_limits() -> None:
    article = "第六十六条 " + "违反本法规定处理个人信息的，" * 200  # longer than Slack's section limit
    law = Chunk(id="PIPL:66", doc_id="PIPL", title="中华人民共和国个人信息保护法", text=article, start=0,
                end=len(article), publisher="NPC Standing Committee", article=66, label="PIPL Art. 66")
    notes = ("CSL: this is the 2016 text <!here> & it was amended.", "Quoted in the original Chinese.")
    result = Answer(question="q", text="五千万元以下 [1]\nPIPL Art. 66: … [1]",
                    citations=(Citation(1, law, article, 0, len(article), label="PIPL Art. 66"),),
                    abstained=False, notices=notes)
    msg = render_answer(result, answer_id="a1")
    shown = texts(msg.blocks)
    assert any(t.startswith("*[1]* *PIPL Art. 66*") for t in shown)
    assert sum(escape(note) in t for note in notes for t in shown) == 2  # both notices, escaped
    assert all(len(t) <= MAX_SECTION_CHARS for t in shown) and len(msg.blocks) <= MAX_BLOCKS
    assert "<!here>" not in json.dumps(msg.as_kwargs())
