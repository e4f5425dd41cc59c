"""Which language a text is in, as far as regbot cares: Chinese ("zh") or English ("en").

    detect_language("个人信息出境需要满足什么条件？")   # "zh"
    detect_language("When did PIPL take effect?")       # "en"
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A Chinese question often names an English acronym ("PIPL第几条规定罚款？"): a minority of Chinese characters
# among the letters already makes the text Chinese.
CHINESE_SHARE = 0.3


def detect_language(text: str) -> str:
    """"zh" when at least `CHINESE_SHARE` of the letters of ``text`` are Chinese characters, else "en"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    chinese = sum(1 for ch in letters if CJK.match(ch))
    return "zh" if chinese >= CHINESE_SHARE * len(letters) else "en"
