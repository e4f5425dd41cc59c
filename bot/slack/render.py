"""Pure Block Kit rendering of answers, and the reverse: plain questions out of Slack message text.

Nothing here talks to Slack; every function maps plain data to plain data, so the limits Slack enforces can
be tested without a network::

    msg = render_answer(answer, answer_id="3f2c...")
    client.chat_update(channel=ch, ts=placeholder_ts, **msg.as_kwargs())

Safety rules, applied to everything that comes from documents or users:

* ``&``, ``<`` and ``>`` are escaped, so no text can ping (``<!channel>``, ``<@U123>``) or forge a link;
* mrkdwn text objects are ``verbatim``, so Slack does not auto-link names or parse bare ``@here`` either;
* no text object exceeds 3,000 characters, a message has at most 50 blocks, ``text`` is always set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.records import Answer, Citation
from index.records import Hit

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000
# A quote longer than this is cut (with an ellipsis) so that several sources stay readable on one screen.
MAX_QUOTE_CHARS = 1200
CLOSEST_SNIPPET_CHARS = 280

ACTION_VOTE_UP = "regbot_vote_up"
ACTION_VOTE_DOWN = "regbot_vote_down"
ACTION_SHARE = "regbot_share"
FEEDBACK_BLOCK_ID = "regbot_feedback"

ELLIPSIS = "…"
_USER_ID = re.compile(r"[UW][A-Z0-9]+")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


@dataclass(frozen=True)
class SlackMessage:
    """A message for ``chat.postMessage``, ``chat.update`` or a response_url: fallback ``text`` + blocks."""

    text: str
    blocks: tuple[dict[str, Any], ...]

    def as_kwargs(self) -> dict[str, Any]:
        """``client.chat_postMessage(channel=c, **msg.as_kwargs())``"""
        return {"text": self.text, "blocks": [dict(b) for b in self.blocks]}


def escape(text: str) -> str:
    """Slack's three control characters, escaped.

    ``escape("<!channel> & co")`` -> ``"&lt;!channel&gt; &amp; co"``
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate_escaped(text: str, limit: int) -> str:
    """Cut escaped ``text`` to at most ``limit`` characters, never inside an ``&amp;``-style entity."""
    if limit < 1:
        raise ValueError(f"limit must be positive, got {limit!r}")
    if len(text) <= limit:
        return text
    cut = _ENTITY_TAIL.sub("", text[: limit - len(ELLIPSIS)]).rstrip()
    return cut + ELLIPSIS


def split_escaped(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Split escaped ``text`` into pieces of at most ``limit`` characters, preferring paragraph, line and
    sentence boundaries, never splitting an entity. Joined, the pieces equal ``text`` up to whitespace."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = limit
        for sep in ("\n\n", "\n", ". ", "。", "; ", " "):
            at = window.rfind(sep)
            if at >= limit // 2:
                cut = at + len(sep.rstrip())  # keep the full stop with its sentence
                break
        amp = rest.rfind("&", max(0, cut - 5), cut)
        if amp > 0 and ";" not in rest[amp:cut]:
            cut = amp  # the entity starts before the cut and ends after it
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not turn names, channels or bare "@here" in our (escaped) text into links or pings.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(truncate_escaped(text, MAX_SECTION_CHARS))}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(truncate_escaped(text, MAX_SECTION_CHARS))]}


def _blockquote(escaped: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in escaped.splitlines() or [""])


def _source_line(title: str, publisher: str, label: str = "") -> str:
    """``*PIPL Art. 66* · 中华人民共和国个人信息保护法 · _publisher_``: a law's article label leads."""
    title = escape(" ".join(title.split())) or "Untitled"
    head = f"*{escape(label)}* · {title}" if label else f"*{title}*"
    return head + (f" · _{escape(publisher.strip())}_" if publisher.strip() else "")


def _citation_block(c: Citation, *, quoted: bool) -> dict[str, Any]:
    """A source of the answer; its quote only when the answer's text does not show it already (``quoted``)."""
    line = f"*[{c.n}]* {_source_line(c.title, c.publisher, c.label)}"
    if quoted:
        return _section(line)
    return _section(f"{line}\n{_blockquote(truncate_escaped(escape(c.quote.strip()), MAX_QUOTE_CHARS))}")


def _closest_block(i: int, hit: Hit) -> dict[str, Any]:
    snippet = truncate_escaped(escape(" ".join(hit.text.split())), CLOSEST_SNIPPET_CHARS)
    return _section(f"{i}. {_source_line(hit.title, hit.publisher, hit.label)}\n{_blockquote(snippet)}")


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _actions(answer_id: str, *, shareable: bool) -> dict[str, Any]:
    elements = [
        _button("👍 Helpful", ACTION_VOTE_UP, answer_id),
        _button("👎 Not helpful", ACTION_VOTE_DOWN, answer_id),
    ]
    if shareable:
        elements.append(_button("Share in channel", ACTION_SHARE, answer_id, style="primary"))
    return {"type": "actions", "block_id": FEEDBACK_BLOCK_ID, "elements": elements}


def _fit(head: list[dict[str, Any]], items: Sequence[dict[str, Any]], tail: list[dict[str, Any]], what: str):
    """``head + items + tail`` within MAX_BLOCKS; items that do not fit are counted in a context line."""
    room = MAX_BLOCKS - len(head) - len(tail)
    if len(items) <= room:
        return [*head, *items, *tail]
    shown = max(room - 1, 0)
    more = _context(f"…and {len(items) - shown} more {what} not shown.")
    return [*head, *items[:shown], more, *tail]


def render_answer(
    answer: Answer, *, answer_id: str, shareable: bool = False, shared_by: str | None = None, notice: str = ""
) -> SlackMessage:
    """The answer with its ``[n]`` markers, then its sources (or the closest sources when it abstained),
    then 👍/👎 buttons whose value is ``answer_id``; ``shareable`` adds a "Share in channel" button, and a
    ``notice`` (plain text, e.g. that the question was cut) goes above the answer.

    ``render_answer(ans, answer_id="a1").blocks[-1]["elements"][0]["action_id"] == "regbot_vote_up"``
    """
    if not answer_id:
        raise ValueError(f"answer_id must be a non-empty string, got {answer_id!r}")
    body = escape(answer.text.strip()) or "(no answer text)"
    # Keep the answer whole: split it over sections, but never let it crowd out the sources entirely.
    answer_blocks = [_section(piece) for piece in split_escaped(body)][: MAX_BLOCKS // 2]
    tail: list[dict[str, Any]] = []
    if shared_by:
        who = f"<@{shared_by}>" if _USER_ID.fullmatch(shared_by) else escape(shared_by)
        tail.append(_context(f"Shared by {who} from `/regbot`."))
    tail.append(_actions(answer_id, shareable=shareable))

    if answer.abstained:
        items = [_closest_block(i, h) for i, h in enumerate(answer.closest, start=1)]
        header = "*Closest sources* — related passages; they do not answer the question:"
        what = "closest sources"
    else:
        items = [_citation_block(c, quoted=answer.shows(c)) for c in sorted(answer.citations, key=lambda c: c.n)]
        header = "*Sources*"
        what = "sources"
    head = ([_context(":scissors: " + escape(notice))] if notice else []) + answer_blocks
    # What a reader must know about the sources (a law amended since the text quoted, an untranslated quote).
    head += [_context(":warning: " + escape(note)) for note in answer.notices]
    if items:
        head += [{"type": "divider"}, _section(header)]
    blocks = _fit(head, items, tail, what)
    return SlackMessage(text=truncate_escaped(body, MAX_FALLBACK_CHARS), blocks=tuple(blocks))


def render_notice(text: str, *, emoji: str = "") -> SlackMessage:
    """A one-section message for short notices (placeholders, errors, help); ``text`` is escaped here."""
    body = truncate_escaped(escape(text.strip()), MAX_SECTION_CHARS)
    shown = f"{emoji} {body}" if emoji else body
    return SlackMessage(text=body, blocks=(_section(shown),))


def render_placeholder() -> SlackMessage:
    """Posted at once, then replaced by the answer with ``chat.update``."""
    return render_notice("Searching the sources…", emoji=":mag:")


def render_apology() -> SlackMessage:
    """What users see when answering failed; the stack trace goes to the log, never to Slack."""
    return render_notice(
        "Sorry, something went wrong while I was answering. Please try again in a minute.", emoji=":warning:"
    )


def render_busy() -> SlackMessage:
    return render_notice(
        "Sorry, I'm answering too many questions right now. Please ask again in a minute.",
        emoji=":hourglass:",
    )


def render_help(command: str = "/regbot") -> SlackMessage:
    return render_notice(
        f"Ask me about Chinese data regulation, e.g. `{command} What fine did Didi get?` — or mention me "
        "in a "
        "channel, or send me a direct message. I answer with quotes from the sources I know."
    )


def render_vote_thanks(vote: str) -> SlackMessage:
    if vote not in ("up", "down"):
        raise ValueError(f"vote must be 'up' or 'down', got {vote!r}")
    if vote == "up":
        return render_notice("Thanks for the feedback — glad it helped.", emoji=":+1:")
    return render_notice("Thanks for the feedback — it helps us improve the answers.", emoji=":memo:")


# Slack's markup in message text (https://api.slack.com/reference/surfaces/formatting). No part may contain
# "<" or ">", which keeps every pattern linear on hostile input such as "<http:<http:<http:…".
_USER = re.compile(r"<@([UW][A-Z0-9]*)(?:\|([^<>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]*)(?:\|([^<>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^<>|]*)?(?:\|([^<>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^<>|]*)(?:\|([^<>]*))?>", re.IGNORECASE)
# What is left of markup after that (cut, nested or typed by hand): "<" before a sigil or a URL scheme.
_OPENER = re.compile(r"<+(?=[@#!]|(?:https?|mailto|tel):)", re.IGNORECASE)
_BROADCASTS = frozenset({"here", "channel", "everyone"})
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def question_from_text(text: str, *, bot_user_id: str | None = None) -> str:
    """The plain question in a Slack message, with no markup left: mentions of the bot and @here/@channel
    are dropped, other people become their display name when Slack gives one (else are dropped, so the
    engine is never asked about "U123"), channels and links become their label (or the bare URL),
    and entities are decoded.

    ``question_from_text("<@UBOT> fines &amp; <#C1|legal>? <!here>", bot_user_id="UBOT")``
    -> ``"fines & #legal?"``
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    out = _plain(text, bot_user_id)
    for entity, char in _ENTITIES:
        out = out.replace(entity, char)
    # Text the user typed as "&lt;@U1&gt;" reads like markup once decoded: treat it the same way.
    out = _OPENER.sub("", _plain(out, bot_user_id))
    return " ".join(out.split()).lstrip(",:;- ").strip()


def _plain(text: str, bot_user_id: str | None) -> str:
    def user(m: re.Match[str]) -> str:
        label = (m.group(2) or "").strip().lstrip("@")
        return " " if m.group(1) == bot_user_id or not label else f" {label} "

    def special(m: re.Match[str]) -> str:
        return " " if m.group(1) in _BROADCASTS else f" {m.group(2) or ''} "

    out = _USER.sub(user, text)
    out = _CHANNEL.sub(lambda m: f" #{m.group(2)} " if m.group(2) else " ", out)
    out = _SPECIAL.sub(special, out)
    return _LINK.sub(lambda m: m.group(2) or m.group(1), out)


def cap_question(question: str, max_chars: int) -> tuple[str, bool]:
    """``question`` cut to at most ``max_chars`` characters, at a word boundary when there is one in the last
    fifth, and whether it was cut. ``cap_question("a b c", 3)`` -> ``("a b", True)``"""
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars!r}")
    if len(question) <= max_chars:
        return question, False
    cut = question[: max_chars + 1]
    space = cut.rfind(" ", max_chars * 4 // 5)
    return (cut[:space] if space > 0 else cut[:max_chars]).rstrip(), True
