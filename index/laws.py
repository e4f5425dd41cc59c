"""The structure of a statute: articles, their numbers, and the chapter each belongs to. Pure functions.

A law's text is a sequence of paragraphs. An article starts at a paragraph headed ``第N条`` (Chinese numerals
or digits) or ``Article N``, and runs, with all its paragraphs and numbered items, up to the next article or
chapter heading::

    spans = article_spans(doc.text)
    spans[37].number, spans[37].heading, doc.text[spans[37].start:spans[37].end][:12]
    # (38, '第三章 个人信息跨境提供的规则', '第三十八条 个人信息处理者')

``article_label`` and ``chinese_numeral`` make the labels a citation shows ("PIPL Art. 38", "个人信息保护法
第三十八条").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = "[零〇一二两三四五六七八九十百千]+"
# A heading opens a paragraph and is followed by a space (ASCII or full-width) or the end of the line; a
# reference inside a sentence ("违反本法第三十一条规定") never opens a paragraph.
ARTICLE_HEADING = re.compile(rf"^(?:第({_CN_NUMBER}|\d+)条|Article\s+(\d+)\b\.?)(?=[ \u3000:：.]|$)", re.M)
_DIVISION = re.compile(rf"^(?:第(?:{_CN_NUMBER}|\d+)[编章节]|(?:Chapter|Section|Part)\s+[\dIVXLC]+\b)", re.M)
# A document with at least this many article headings is read as a law.
MIN_ARTICLES = 3
_PRC_PREFIX = "中华人民共和国"
# Taking effect, in either language: a question about when a law took effect ("When did PIPL take effect?",
# "数安法哪天施行"), or a text saying something does ("本法自……起施行", "will take effect on September 1").
_TAKING_EFFECT = (
    r"\b(?:tak(?:e|es|en|ing)|took|come|comes|came|go|goes|went|enter(?:s|ed|ing)?)\s+(?:into\s+)?(?:effect|force)\b|"
    r"\bin (?:effect|force)\b|\beffective\b|\benforce(?:d|able)?\b|\bkick(?:s|ed)? in\b|\bcommencement\b|"
    # As people say it too: "when does it go live?", "its go-live date", "when did it start to apply?", "哪天落地
    # 执行？", "哪天起执行的？".
    r"\b(?:go(?:es|ing)?|went|gone) live\b|\b(?:go-live|start) date\b|\b(?:start|starts|started|begin|began|begins) "
    r"(?:to )?apply|施行|生效|实施|落地|(?:正式|开始|起)执行"
)
# Commencing as a law does ("commences on 1 November"), not an action begun ("the CAC commenced reviews into ...").
_COMMENCING = r"\bcommence[sd]?\b(?=\s*(?:on|from|in|at|with effect|[?.!,;]|$))"
TAKES_EFFECT = re.compile(f"{_TAKING_EFFECT}|{_COMMENCING}", re.I)
# Asked, "commence" is said of anything begun ("when did the reviews commence?"): it does not ask when a rule
# took effect.
TAKES_EFFECT_ASKED = re.compile(_TAKING_EFFECT, re.I)
# A question about the penalty for a breach, in either language ("what's the fine for ...", "违反了会怎么罚").
_ASKS_PENALTY = re.compile(
    # "fine" the noun or verb, not "is it fine to ...", "it's fine", "fine-grained".
    r"\b(?<!it )(?<!be )(?<!is )(?<!it's )(?<!it’s )fine[sd]?\b(?![- ](?:grained|tun\w*|to|if|with)\b)"
    r"|\b(?:penalt(?:y|ies)|punish(?:ed|ment|ments)?|sanctions?|sanctioned)\b"
    r"|罚款|罚金|处罚|罚多少|怎么罚|被罚|罚则|法律责任",
    re.I,
)
# What a penalty provision imposes: a fine, a confiscation, a detention, a suspension ("罚款", "fined up to").
_IMPOSES_PENALTY = re.compile(r"罚款|罚金|拘留|没收违法所得|\bfined?\b|\bpenalt(?:y|ies)\b", re.I)
# A provision's references to others of the same law: "违反本法第二十七条、第二十九条规定", "本条例第十条",
# "Article 31 of this Law".
_SELF_REFERENCE = re.compile(
    rf"本(?:法|条例|规定|办法)((?:第(?:{_CN_NUMBER}|\d+)条(?:第(?:{_CN_NUMBER}|\d+)款)?[、，,和及与或者至]*)+)"
    r"|\bArticles? ((?:\d+(?:, | and | or |-)?)+) of this (?:Law|Act|Regulation)s?\b"
)
_CITED_ARTICLE = re.compile(rf"第({_CN_NUMBER}|\d+)条(?:第(?:{_CN_NUMBER}|\d+)款)?(\S?)")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class ArticleSpan:
    """One article: its number, character offsets into the text, and the chapter (and section) it is in."""

    number: int
    start: int
    end: int
    heading: str


def parse_chinese_number(text: str) -> int:
    """``"三十八"`` → 38, ``"一百零二"`` → 102, ``"12"`` → 12. Raises ValueError for anything else."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise ValueError(f"{text!r} is not a Chinese numeral")
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]  # "十二": a bare unit counts one
            digit = None
    return total + (digit or 0)


def chinese_numeral(n: int) -> str:
    """38 → ``"三十八"``, 10 → ``"十"``, 105 → ``"一百零五"`` (how statutes number their articles)."""
    if not 0 < n < 10000:
        raise ValueError(f"article number {n} is out of range")
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            if zero:
                parts.append("零")
            parts.append(("" if d == 1 and unit == 10 and n < 20 else digits[d]) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def is_division(line: str) -> bool:
    """Whether ``line`` is a chapter or section heading ("第三章 个人信息跨境提供的规则", "Chapter III")."""
    return bool(_DIVISION.match(line))


def is_law(text: str) -> bool:
    """Whether ``text`` reads as a statute: at least `MIN_ARTICLES` paragraphs open with an article heading."""
    return len(ARTICLE_HEADING.findall(text)) >= MIN_ARTICLES


def article_spans(text: str) -> list[ArticleSpan]:
    """Every article of ``text``, in order; text before the first article (title, adoption line) is in none."""
    divisions = [(m.start(), _line_at(text, m.start())) for m in _DIVISION.finditer(text)]
    headings = list(ARTICLE_HEADING.finditer(text))
    spans: list[ArticleSpan] = []
    for i, match in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        end = min([start for start, _ in divisions if match.start() < start < end], default=end)
        number = parse_chinese_number(match.group(1)) if match.group(1) else int(match.group(2))
        body = text[match.start() : end].rstrip()
        spans.append(ArticleSpan(number, match.start(), match.start() + len(body), _context(divisions, match.start())))
    return spans


def asks_when_in_force(question: str) -> bool:
    """Whether ``question`` asks when a law took effect (or whether it is in force), in English or Chinese."""
    return TAKES_EFFECT.search(question) is not None


def states_in_force(in_force: str, text: str) -> bool:
    """Whether ``text`` states the date ``in_force`` (ISO, from a law's metadata) as a Chinese or an English
    statute writes it: ``states_in_force("2021-11-01", "本法自2021年11月1日起施行。")`` is True."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", in_force):
        return False
    year, month, day = (int(part) for part in in_force.split("-"))
    written = (f"{year}年{month}月{day}日", f"{_MONTHS[month - 1]} {day}, {year}", f"{day} {_MONTHS[month - 1]} {year}",
               in_force)
    return any(form in text for form in written)


def asks_about_penalty(question: str) -> bool:
    """Whether ``question`` asks what penalty a breach carries, in English or Chinese."""
    return _ASKS_PENALTY.search(question) is not None


def imposes_penalty(text: str) -> bool:
    """Whether a provision's ``text`` imposes a penalty (a fine, a confiscation, a detention)."""
    return _IMPOSES_PENALTY.search(text) is not None


def referenced_articles(text: str) -> list[int]:
    """The articles of the same law that ``text`` refers to, in order:
    ``referenced_articles("违反本法第二十七条、第二十九条规定的")`` is ``[27, 29]``; "第三款" numbers no article."""
    found: list[int] = []
    for match in _SELF_REFERENCE.finditer(text):
        if not match.group(1):
            found += [int(n) for n in re.findall(r"\d+", match.group(2))]
            continue
        ranged = False  # "第四十一条至第四十三条" is 41, 42 and 43
        for number, separator in _CITED_ARTICLE.findall(match.group(1)):
            n = parse_chinese_number(number)
            found += list(range(found[-1] + 1, n + 1)) if ranged and found and n > found[-1] else [n]
            ranged = separator == "至"
    return list(dict.fromkeys(found))


def _line_at(text: str, start: int) -> str:
    end = text.find("\n", start)
    return " ".join(text[start : end if end >= 0 else len(text)].split())


def _context(divisions: list[tuple[int, str]], at: int) -> str:
    """The chapter heading before ``at``, with the section heading under it when there is one."""
    before = [line for start, line in divisions if start < at]
    chapters = [i for i, line in enumerate(before) if re.match(r"^(?:第\S+?[编章]|Chapter|Part)", line)]
    if not chapters:
        return before[-1] if before else ""
    chapter = before[chapters[-1]]
    section = before[-1] if len(before) - 1 > chapters[-1] else ""
    return f"{chapter} {section}".strip()


def article_label(short_name: str, title: str, number: int | None, *, language: str = "en") -> str:
    """The citation label: ``("PIPL", "中华人民共和国个人信息保护法", 38)`` → ``"PIPL Art. 38"``, or in
    Chinese ``"个人信息保护法 第三十八条"``; the document's name alone when ``number`` is None."""
    if language == "zh":
        name = title.removeprefix(_PRC_PREFIX) or short_name
        return f"{name} 第{chinese_numeral(number)}条" if number else name
    name = short_name or title
    return f"{name} Art. {number}" if number else name
