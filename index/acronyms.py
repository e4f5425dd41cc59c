"""Domain acronyms, expanded in queries: employees write "CAC", an article may write the regulator's name.

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
    "PIA": "personal information protection impact assessment",
    "PIPIA": "personal information protection impact assessment",
    "DPIA": "data protection impact assessment",
    "IPO": "initial public offering",
    # An employee's everyday abbreviations of roles, metrics and currencies: known words, not a foreign law.
    "DPO": "data protection officer",
    # ... of the business the asker is in ("we're an ISP"): it says who asks, not what about.
    "ISP": "internet service provider",
    "IDC": "internet data centre",
    "CDN": "content delivery network",
    "SAAS": "software as a service",
    # ... or the team they work in ("asking for the SOC team").
    "SOC": "security operations centre",
    "NOC": "network operations centre",
    "CISO": "chief information security officer",
    "PII": "personally identifiable information",
    "KYC": "know your customer",
    "MAU": "monthly active users",
    "DAU": "daily active users",
    "RMB": "renminbi yuan",
    "CNY": "Chinese yuan",
    "USD": "US dollars",
    # ... and of the work they ask for, never the subject of a rule. A role ("CEO") or a technology ("VPN") may
    # be what a question is about, and a source that never mentions it does not answer.
    "PPT": "PowerPoint slides",
}
# How employees shorten the generic words of a source's English name: "the CII regs", "network data security
# mgmt regs", "personal info protection law". A name's other words must still be written out.
SHORTHAND = {
    "regulations": ("regulation", "regs", "reg", "rules"),
    "management": ("mgmt",),
    "information": ("info",),
    "administration": ("admin",),
}


def acronym_of(word: str) -> str | None:
    """The domain acronym ``word`` is, in the singular or plural (an employee writes "IPOs", "DPOs"), or None:
    ``acronym_of("IPOs") == "IPO"``, ``acronym_of("GDPR") is None``."""
    key = word.upper()
    if key not in ACRONYMS and len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        key = key[:-1]
    return key if key in ACRONYMS else None


_ACRONYM = re.compile(r"\b(" + "|".join(sorted(ACRONYMS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_EXPANDED = re.compile(_ACRONYM.pattern + r" \(([^()]*)\)", re.IGNORECASE)


def expand_acronyms(text: str, *, corpus_has: Callable[[str], bool] = lambda acronym: False) -> str:
    """Each acronym followed by its expansion in parentheses (once per acronym, and never again in text that
    has it already: a query is checked at every stage, and each stage must search the same words).

    Acronyms for which ``corpus_has`` is true are left alone: when the articles write "CAC" themselves,
    adding "Cyberspace Administration of China" only pulls in passages that happen to spell it out.
    """
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        key = word.upper()
        expansion = f" ({ACRONYMS[key]})"
        if text.startswith(expansion, match.end()):
            seen.add(key)
            return word
        # "pi" in lower case inside a sentence is as likely a word as an acronym: require capitals for two
        # letters; from three on ("csl", "cii"), a casual question's lower case still means the acronym.
        if key in seen or (word != key and len(key) < 3) or corpus_has(key.lower()):
            return word
        seen.add(key)
        return word + expansion

    return _ACRONYM.sub(replace, text)


def as_written(text: str) -> str:
    """``text`` without the expansions `expand_acronyms` inserted, as the asker wrote it: a source's short name
    is two words the expansion would split ("cii (critical information infrastructure) regs")::

        as_written("cii (critical information infrastructure) regs")     # 'cii regs'
    """
    return _EXPANDED.sub(lambda m: m.group(1) if ACRONYMS[m.group(1).upper()] == m.group(2) else m.group(), text)
