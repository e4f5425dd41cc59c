"""Domain acronyms, expanded in queries: employees write "PIPL", the articles write the law's name.

    expand_acronyms("When did the PIPL take effect?")
    # 'When did the PIPL (Personal Information Protection Law) take effect?'
"""

from __future__ import annotations

import re
from collections.abc import Callable

ACRONYMS = {
    "PIPL": "Personal Information Protection Law",
    "DSL": "Data Security Law",
    "CSL": "Cybersecurity Law",
    "CAC": "Cyberspace Administration of China",
    "MIIT": "Ministry of Industry and Information Technology",
    "PBOC": "People's Bank of China central bank",
    "SCMP": "South China Morning Post",
    "NDSMR": "Network Data Security Management Regulations",
    "CII": "critical information infrastructure",
    "CIIO": "critical information infrastructure operator",
    "SAMR": "State Administration for Market Regulation",
    "PI": "personal information",
    "IPO": "initial public offering",
}
_ACRONYM = re.compile(r"\b(" + "|".join(sorted(ACRONYMS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def expand_acronyms(text: str, *, corpus_has: Callable[[str], bool] = lambda acronym: False) -> str:
    """Each acronym followed by its expansion in parentheses (once per acronym).

    Acronyms for which ``corpus_has`` is true are left alone: when the articles write "CAC" themselves,
    adding "Cyberspace Administration of China" only pulls in passages that happen to spell it out.
    """
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        key = word.upper()
        # "pi" or "dsl" in lower case inside a sentence is as likely a typo as an acronym: require capitals,
        # except for the unambiguous four-letter and longer ones.
        if key in seen or (word != key and len(key) < 4) or corpus_has(key.lower()):
            return word
        seen.add(key)
        return f"{word} ({ACRONYMS[key]})"

    return _ACRONYM.sub(replace, text)


# Chinese terms of the domain and their English names, for questions asked in Chinese of English sources.
# MiniLM and BM25 cannot match 滴滴 to "Didi", so the question is rendered as the English terms it contains
# (dictionary-based cross-language retrieval). Longest match wins: 个人信息保护法 before 个人信息.
ZH_TERMS = {
    # regulators and officials
    "国家互联网信息办公室": "CAC", "国家网信办": "CAC", "网信办": "CAC", "网信部门": "CAC",
    "工业和信息化部": "MIIT", "工信部": "MIIT", "网络安全管理局": "Cybersecurity Bureau",
    "国家数据局": "national data bureau", "中国人民银行": "central bank", "央行": "central bank",
    "国务院": "State Council", "证监会": "securities regulator", "市场监管总局": "SAMR", "公安部": "police",
    "网络安全审查办公室": "cybersecurity review office", "监管机构": "regulators", "监管部门": "regulators",
    "监管": "regulators", "习近平": "Xi Jinping", "李强": "Li Qiang", "庄荣文": "Zhuang Rongwen",
    "刘烈宏": "Liu Liehong", "易纲": "Yi Gang", "潘功胜": "Pan Gongsheng",
    # laws and instruments
    "个人信息保护法": "PIPL", "数据安全法": "DSL", "网络安全法": "CSL",
    "网络数据安全管理条例": "Network Data Security Management Regulations",
    "数据出境安全评估办法": "cross-border data security assessment measures",
    "法律体系": "legal framework", "法律": "law", "条例": "regulations", "规定": "rules", "规则": "rules",
    "办法": "measures", "草案": "draft", "征求意见": "public feedback comment",
    # what the laws regulate
    "个人信息": "personal information", "个人数据": "personal data", "敏感": "sensitive", "数据": "data",
    "核心数据": "core data", "重要数据": "important data", "出境": "overseas transfer", "跨境": "cross-border",
    "境外": "overseas", "海外": "overseas", "安全评估": "security assessment", "网络安全审查": "cybersecurity review",
    "网络安全": "cybersecurity", "数据安全": "data security", "国家安全": "national security",
    "审查": "review", "隐私": "privacy", "保护": "protection", "本地化": "localisation", "存储": "stored",
    # enforcement
    "罚款": "fined", "罚": "fined", "处罚": "penalty", "营业额": "turnover revenue", "约谈": "summoned",
    "整改": "rectification", "下架": "removed from app stores", "暂停": "halt", "停止": "halt",
    "注册": "registration", "新用户": "new users", "用户": "users", "恢复": "resumed", "调查": "investigation",
    "上市": "listing", "海外上市": "overseas listing", "境外上市": "overseas listing", "打压": "crackdown",
    "生效": "take effect", "施行": "take effect", "实施": "take effect", "通过": "passed",
    # who and where
    "主任": "director", "局长": "head", "部长": "minister", "副部长": "vice minister", "行长": "governor",
    "现任": "current", "企业": "companies", "公司": "companies", "科技公司": "tech companies",
    "科技巨头": "tech giants", "平台": "platforms", "应用": "app", "中国": "China", "美国": "United States",
    "香港": "Hong Kong", "北京": "Beijing", "欧盟": "EU", "最高": "maximum", "上一年度": "previous year",
    "滴滴": "Didi", "阿里巴巴": "Alibaba", "阿里": "Alibaba", "腾讯": "Tencent", "美团": "Meituan",
    "百度": "Baidu", "京东": "JD", "拼多多": "Pinduoduo", "小米": "Xiaomi", "微博": "Weibo",
    "蚂蚁集团": "Ant Group", "字节跳动": "ByteDance", "满帮": "Full Truck Alliance", "看准": "Kanzhun",
    "华为": "Huawei", "奇安信": "Qi An Xin",
}
# Question words first in the rendering, so that "how much" or "when" opens it as in an English question.
ZH_QUESTION_WORDS = {
    "多少钱": "how much", "多少罚款": "how much", "金额": "how much", "百分之几": "what percentage",
    "比例": "what percentage", "多少": "how many", "几个": "how many", "几家": "how many", "几": "how many",
    "什么时候": "when", "何时": "when", "哪一年": "what year", "哪年": "what year", "多久": "how long",
    "多长时间": "how long", "是谁": "who", "谁": "who", "第几条": "which article", "哪一条": "which article",
    "哪条": "which article", "为什么": "why", "哪些": "which", "哪几家": "which", "哪家": "which",
    "什么": "what",
}
_ZH_ALL = {**ZH_TERMS, **ZH_QUESTION_WORDS}
_ZH_TERM = re.compile("|".join(sorted(map(re.escape, _ZH_ALL), key=len, reverse=True)) + r"|[A-Za-z0-9][A-Za-z0-9.-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Particles and function characters, which carry no term of their own.
_ZH_FUNCTION = frozenset("的了吗呢是被在有也和与及或把对于就都还而之着过吧啊呀嘛将会要该")
# A rendering that drops more than this share of the question's characters would answer another question:
# "今天北京天气怎么样？" is not a question about Beijing.
MAX_UNKNOWN_SHARE = 1 / 3


def is_chinese(text: str) -> bool:
    """True when most of the letters of ``text`` are Chinese characters."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(ch)) for ch in letters) > len(letters) / 2


def render_english(question: str) -> str:
    """The English glossary terms of a Chinese question, question words first; "" when too few are known.

    render_english("滴滴被罚了多少钱？")      # 'how much Didi fined?'
    """
    unknown = [ch for ch in _CJK.findall(_ZH_TERM.sub("", question)) if ch not in _ZH_FUNCTION]
    if len(unknown) > MAX_UNKNOWN_SHARE * len(_CJK.findall(question)):
        return ""
    asks, terms = [], []
    for match in _ZH_TERM.finditer(question):
        word = match.group()
        if word in ZH_QUESTION_WORDS:
            asks.append(ZH_QUESTION_WORDS[word])
        else:
            terms.append(ZH_TERMS.get(word, word))
    if not terms:
        return ""
    words = list(dict.fromkeys(asks + terms))
    return " ".join(words) + ("?" if question.rstrip().endswith(("？", "?", "吗", "呢")) else "")
