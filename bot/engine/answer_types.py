"""Kinds of fact a question asks for, and whether a text states one: per-language patterns, kept as data.

    asked_kind("How much was Didi fined?", "en")          # "amount"
    asked_kind("个人信息保护法什么时候施行？", "zh")          # "date"
    states("处五千万元以下或者上一年度营业额百分之五以下罚款", "percent")   # True

A table row is ``kind: (asks, states)``: per language, the pattern of a question that asks for that kind, and
the pattern of a text that states one, in either language (a Chinese question may be answered by an English
sentence and the reverse). The first row whose question pattern matches gives the kind, so the more specific
kinds come first ("how many hours" is a duration before it is a number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.documents import SIGN_OFF
from index.keyword import tokenize
from index.laws import TAKES_EFFECT, TAKES_EFFECT_ASKED, asks_about_penalty, imposes_penalty, parse_chinese_number

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?"
)
_ZH_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]"
_EN_MONTH = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# "几" asks how many, except after a numeral, where it makes an approximate count ("十几家", "二十几年"), or
# after 哪/这/那 ("哪几家" asks which ones).
_JI = "(?<![哪这那十百千万])几"

# What a text must contain to state each kind. English and Chinese forms together.
_MONEY = (
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:billion|million|thousand)?\s?(?:yuan|dollars?|euros?|rmb)\b|"
    r"\b(?:billions|millions|thousands|hundreds) of (?:dollars|yuan|euros)\b|"
    rf"(?:\d[\d,.]*|{_ZH_NUMERAL}+)\s?(?:万|亿)?元"
)
# A length of time in Chinese ("六个月", "十五个工作日内", "三年"), not a date's parts ("2021年", "11月1日", "六月")
# nor the year a figure is counted over ("上一年度营业额", "第一年"), nor an age ("不满十四周岁").
# ("上一年度" rules out a numeral after 上 or 下, not digits: "五日以上15日以下" is two lengths.)
_ZH_LENGTH = (
    rf"(?:(?<![\d.月年第本当每])\d{{1,3}}|(?<![\d月年第上下本当每{_ZH_NUMERAL[1:-1]}]){_ZH_NUMERAL}+)\s?"
    r"(?:个月|个?(?:工作日|分钟|小时|学时|课时|日|天|周(?!岁)|星期|年)(?!度))(?:内|以上|以下)?"
)
_STATES = {
    # A definition as statutes and reports word one: "网络运营者，是指……", "本法所称", "X means ...", or a
    # sentence that opens with the term and "是" ("敏感个人信息是一旦泄露……的个人信息").
    "definition": (
        rf"是指|指的是|含义|所称|^(?:第{_ZH_NUMERAL}+条\s*)?[\u4e00-\u9fff、]{{2,14}}是(?![否指])|"
        r"\bmeans\b|\brefers? to\b|\b(?:is|are) defined as\b|\bshall mean\b"
    ),
    "scope": r"适用本(?:法|条例)|适用其规定|\bappl(?:y|ies) to\b|\bdoes not apply\b",
    "article": r"\b(?:article|art\.|section|clause|paragraph)\s*\d+|第[\d零一二三四五六七八九十百]+条",
    "frequency": (
        rf"每(?:个)?(?:年|季度|半年|月|周|星期|天|日)|(?:{_ZH_NUMERAL}|\d)+(?:个)?(?:年|月|季度)(?:至少)?(?:{_ZH_NUMERAL}|\d)次|"
        r"\b(?:annually|yearly|quarterly|monthly|weekly|daily)\b|"
        r"\b(?:once|twice|\w+ times) (?:a|per|every|each) (?:year|quarter|month|week|day)\b|"
        r"\b(?:every|each|per) (?:\w+ )?(?:years?|quarters?|months?|weeks?)\b"
    ),
    "percent": rf"\d\s?(?:%|percent\b|per cent\b)|百分之{_ZH_NUMERAL}+|{_ZH_NUMERAL}成",
    "amount": _MONEY + r"|\b\d[\d,.]*\s?(?:%|(?:percent|billion|million|thousand|bn|m)\b)",
    "duration": (
        # At least a number of them too: "17+ years".
        rf"\b(?:\d[\d,.]*\+?|{_NUMBER_WORDS}|a|an|several|many|few)[\s-]+(?:(?:working|business|calendar) )?"
        r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
        rf"|\bsince\b|\buntil\b|{_ZH_LENGTH}"
        # The longest span of all: a bar for life answers "for how long?" as surely as "five years" does.
        r"|终身|\bfor life\b|\blife-?long\b|\blifetime\b|\bpermanent(?:ly)?\b"
    ),
    "date": (
        # The month's day or year whole: "May 2023" leaves no "023" behind to be read as a count.
        rf"\b(?:19|20)\d\d\b|\b(?:{_EN_MONTH})[a-z]*\.?\s*\d+|"
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|"
        r"august|september|october|november|december|summer|winter|spring|autumn)\b|"
        r"\b(?:last|this|next)\s+(?:week|month|year)\b|\bago\b|"
        rf"\d{{4}}年(?:\d{{1,2}}月)?|(?:\d{{1,2}}|{_ZH_NUMERAL}+)月(?:\d{{1,2}}|{_ZH_NUMERAL}+)日|自.{{0,12}}起施行"
    ),
}
# A document's title is written as one: in title marks or Chinese quotes, as a law's full name, or in capitals
# ending in what it names ("Measures for Cybersecurity Review", "Data Security Law"; not "Full Truck Alliance").
_TITLED = r"(?:Law|Act|Measures|Rules|Regulations?|Provisions|Guidelines|Standards?|Mechanism|Plan)"
# What kind of document a title is asked for, and how its title names one: asked for the name of a draft or of
# rules, a law's title ("the Data Security Law", 《中华人民共和国网络安全法》) does not answer. document: (asked in
# English, asked in Chinese, its title holds), the most specific first; another document ("the plan") takes any
# title.
_DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "draft": (r"drafts?", r"草案", r"Draft|Measures|Rules|Provisions|Regulations?|规定|办法|条例|草案|征求意见稿"),
    "rules": (r"rules?|regulations?|measures|provisions|guidelines", r"规定|条例|办法|新规",
              r"Rules|Regulations?|Measures|Provisions|Guidelines|规定|条例|办法|规则|措施"),
    "standard": (r"standards?", r"标准", r"Standards?|标准|GB"),
    "law": (r"laws?", r"法(?!院)", r"Law|Act|法"),
    "document": (r"mechanisms?|plans?|documents?", r"文件|机制|规划", r""),
}
# The documents whose name a question may ask for, in either language, and how English asks for a name.
_DOCUMENT_ASKED = {
    "en": rf"\b(?:{'|'.join(en for en, _, _ in _DOCUMENTS.values())})\b",
    "zh": "|".join(zh for _, zh, _ in _DOCUMENTS.values()),
}
_NAME_ASKED = (
    r"\b(?:official|full|formal|exact|proper) (?:name|title)s?\b|\b(?:names?|titles?) of\b|"
    r"\bcalled\b(?!\s+(?:in|on|for|up)\b)|\b(?:named|titled)\b"
)
_STATES["title"] = (
    r"《[^》]{2,40}》|“[\u4e00-\u9fff][^”]{1,30}”|中华人民共和国[\u4e00-\u9fff]{2,12}(?:法|条例)(?![\u4e00-\u9fff])|"
    rf"\b(?:[A-Z][\w&'’-]*\s+(?:(?:of|for|on|and|the|to)\s+)?){{1,6}}{_TITLED}\b"
)
# A deadline is a length of time ("within 24 hours", "3个月内") or a date ("by September 1").
_STATES["deadline"] = f"(?:{_STATES['duration']})|(?:{_STATES['date']})"
# A person's name as news text introduces one: after a title ("Vice Minister Niu Yibing"), before a role
# ("Sun Weimin, head of ...", "Opper, a professor") or a speech verb, after "said", or closing a caption.
# Any two capitalised words in a row would also take "Alibaba Group" and "Data Security" for people.
_NAME_WORDS = r"[A-Z][a-z]+[ -][A-Z][a-z]+"
_ROLE = (
    r"(?:Vice |Deputy |Prime )?(?:Minister|President|Premier|Governor|Director|Chairman|Chairwoman|Secretary|"
    r"Commissioner|Mr|Ms|Mrs|Dr|Prof|Professor|professor|CEO|founder|spokes(?:person|man|woman)|analyst|lawyer|"
    r"director|chief|head|official)\.?"
)
_INTRODUCED = (  # a name before a role: "Sun Weimin, head of ...", "Opper, a professor"
    r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?=, (?:(?:a|an|the|now|who) )?(?:\w+ )?(?:head|director|professor|"
    r"minister|chief|official|spokes\w+|founder|chairman|analyst|lawyer|partner|researcher|fellow|CEO)\b)|"
)
_SPEAKS = rf"\b{_NAME_WORDS}(?= (?:said|says|told|wrote|added|argued|noted|warned)\b)|"
_STATES["person"] = (
    rf"\b{_ROLE} [A-Z][a-z]+\b|" + _INTRODUCED + _SPEAKS
    + rf"\b(?:[Ss]aid|[Ss]ays|[Tt]old|[Aa]ccording to) {_NAME_WORDS}\b|, {_NAME_WORDS}\.?$"
)
_STATES["official"] = _STATES["person"]
# A city as a text names one: a capitalised name after "in" or "at" that is no month or weekday ("in
# Chengdu"), or a Chinese name ending in 市 (not 市场, "market").
_NOT_A_PLACE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_STATES["city"] = rf"\b(?:in|at) (?!{_NOT_A_PLACE})[A-Z][a-z]+|[\u4e00-\u9fff]{{2,4}}市(?!场)"
# Who wrote a report: its sign-off as the document cleaner keeps it ("Published by X", "Author: X, Paper"), or a
# Chinese byline ("记者 X").
_STATES["author"] = rf"{SIGN_OFF.pattern}|^(?:作者|记者|撰稿|责任编辑)[:：\s]"
# The name alone, for the line that leads an answer ("Sun Weimin", not "according to Sun Weimin").
_PERSON_NAME = (
    rf"\b{_ROLE} [A-Z][a-z]+(?: [A-Z][a-z]+)?\b|" + _INTRODUCED + _SPEAKS
    + rf"(?:(?<=[Ss]aid )|(?<=[Ss]ays )|(?<=[Tt]old )|(?<=[Aa]ccording to )){_NAME_WORDS}\b"
    + rf"|(?<=, ){_NAME_WORDS}(?=\.?$)"
)
# The whole expression of a fact, for the line that leads an answer ("$1.2 billion", "五千万元", "百分之五");
# the `_STATES` pattern serves where it already matches whole expressions.
_EXTRACT = {
    "amount": (
        r"[$€£¥]\s?\d[\d,.]*(?:\s?(?:billion|million|thousand|bn)\b)?|"
        r"\b\d[\d,.]*\s?(?:billion|million|thousand)?\s?(?:yuan|dollars?|euros?|rmb)\b|"
        rf"(?:\d[\d,.]*|{_ZH_NUMERAL}+)\s?(?:万|亿)?元(?:以上|以下)?"
    ),
    "percent": rf"\b\d[\d.]*\s?(?:%|percent\b|per cent\b)|百分之{_ZH_NUMERAL}+(?:以上|以下)?",
    "person": _PERSON_NAME,
    "official": _PERSON_NAME,
    "author": rf"(?<=by ){_NAME_WORDS}(?: [A-Z][a-z]+)?|(?<=[Aa]uthor: ){_NAME_WORDS}|(?<=[Aa]uthors: ){_NAME_WORDS}",
    "date": (
        r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)"
        r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b|"
        # News abbreviates a month with a full stop, a space after it or not: "Sept. 1", "Nov.3".
        r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.\s*\d{1,2}\b(?:,?\s+(?:19|20)\d\d\b)?|"
        rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}日|(?:\d{{4}}年)?(?:\d{{1,2}}|{_ZH_NUMERAL}+)月(?:\d{{1,2}}|{_ZH_NUMERAL}+)日"
    ),
}
_EXTRACT["deadline"] = f"(?:{_STATES['duration']})|(?:{_EXTRACT['date']})"
# A date is a deadline when the text makes it one ("by September 1", "截止到……", "之前") or when something takes
# effect on it (compliance is due then); "on Thursday, the CAC announced ..." dates an announcement.
_DUE = (
    r"\b(?:by|before|until|till|no later than|deadline|due|expires?|ends?|close[sd]?)\b|"
    r"截止|截至|之前|以前|日前|届满|为止"
)
_DEADLINE_MARK = re.compile(_DUE, re.I)
# A count is not a sum of money or a year: "how many violations" is not answered by "$1.2 billion".
# Nor a reference to a provision or a list item: "第五十二条", "Article 30", "（三）" number no things.
_LIST_ITEM = rf"[（(](?:\d{{1,2}}|{_ZH_NUMERAL}{{1,3}})[）)]"
_REFERENCE = (
    rf"第(?:\d+|{_ZH_NUMERAL}+)[条款项章节]|\b(?:articles?|art\.|paragraphs?|items?|chapters?|sections?)\s*\d+|"
    + _LIST_ITEM
)
# Nor an ordinal ("第十二届", "第二十四次会议"), "one of" ("任何一个", "其中一个"), a share, a length of time or how
# often: "how many members" is not answered by "one of the following", "六个月" or "每年至少一次".
_NOT_COUNTING = (
    rf"第(?:\d+|{_ZH_NUMERAL}+)|\bone of\b|(?:任何|其中|任一|某)一个|"
    rf"每[^，。；,;]{{0,8}}?(?:\d+|{_ZH_NUMERAL}+)次|{_STATES['percent']}|"
    rf"{_STATES['duration']}|{_STATES['frequency']}"
)
# A count in Chinese numerals comes with a measure word ("十二家", "三类", "五个方面"): a numeral inside a word
# ("一旦", "一定", "统一", "之一") numbers nothing, nor does a multiple ("一倍以上十倍以下罚款").
_ZH_COUNT = (
    rf"{_ZH_NUMERAL}+(?=\s?[多余]?(?:个|家|人|名|位|项|次|级|类|种|批|件|部|份|起|例|台|张|所|层|期|届|轮|场|点|方面))"
)
_COUNTING = rf"\d|\b(?:{_NUMBER_WORDS})\b|{_ZH_COUNT}"
# An exact figure asked for ("exactly how many", "具体多少") is not given by a rough one: "thousands of workers",
# "billions of dollars", "数千家", "上万人".
_EXACT_ASKED = re.compile(r"\bexact(?:ly)?\b|\bprecise(?:ly)?\b|具体|确切|准确|精确", re.I)
_ROUGH = re.compile(
    r"\b(?:dozens|scores|hundreds|thousands|millions|billions)\s+of\b|\b(?:several|many|numerous|a few)\b|"
    r"成千上万|[数几][十百千万亿]+|(?<!以)上[百千万亿]+",  # not the 以上 of "以上十万元"
    re.I,
)
_ROUGH_KINDS = ("number", "amount")
# A number written in digits, in English words or in Chinese numerals, and the values of English number words.
_VALUE = re.compile(rf"\d+|\b(?:{_NUMBER_WORDS})\b|[零〇一二两三四五六七八九十百千]+", re.I)
_WORD_VALUES = {word: n for n, word in enumerate(_NUMBER_WORDS.split("|")[:12], start=1)}
# The measure words a count is asked in ("几家", "多少级"): of firms, items, times, kinds, levels, people.
_MEASURE = "个|家|条|名|次|项|种|级|类|档|批|位|部|层"
# People a count is asked of without a measure word ("多少员工").
_PEOPLE = "员工|职工|工人|用户|成员|客户"
# kind -> {language: pattern of a question asking for it}, most specific first.
_CURRENCY = r"(?:yuan|rmb|renminbi|usd|us dollars|dollars)\b"
# A sum asked in a currency, named however: "in yuan", "in Chinese yuan", "in US dollars".
_IN_CURRENCY = rf"\bin (?:chinese |us |u\.s\. |american )?{_CURRENCY}"
_SUM_WORDS = r"(?:amount|figure|value|equivalent|number|sum|terms)\b"
_COUNTED_STUFF = r"(?:data|information|records?|people|persons?|users?|individuals?|subjects?|time)(?![\w-])"
# How often, as a question offering one: "annually", "once a year", "every two years"; "每年", "两年一次".
_EN_FREQUENCY = (
    r"\b(?:(?:bi-?)?annual(?:ly)?|yearly|biennial(?:ly)?|quarterly|monthly|weekly|daily|"
    r"(?:once|twice) (?:a|per|every|each) \w+|every (?:\w+ )?(?:years?|quarters?|months?|weeks?|days?))"
)
_ZH_FREQUENCY = rf"(?:每(?:{_ZH_NUMERAL}|半)?个?(?:年|季度|月|周|星期|天|日)|(?:{_ZH_NUMERAL}|半)个?(?:年|季度|月|周)一次)"
# A person's given or whole name asked (not a body's: "the full name of the CAC", "the law's full name").
_WHOLE_NAME_ASKED_EN = (
    r"\b(?:first|given|christian) names?\b|\bfull names?\b(?!\s+of\s+(?:the\s+|this\s+|that\s+)?"
    r"(?:(?-i:[A-Z]{2,})\b|(?:[\w-]+\s+){0,3}(?:law|act|rules?|regulations?|measures|provisions|standards?|"
    r"drafts?|documents?|bureau|agency|ministry|administration|commission|company|firm|app|platform)s?\b))"
)
# People a question may ask the name of, by what they do (not a role a law gives a body: "head of the bureau").
_PEOPLE_EN = r"\b(?:prof(?:essor)?|historian|economist|academic|analyst|expert|scholar|researcher|lawyer)s?"
_WHOLE_NAME_ASKED_ZH = (
    r"(?:教授|先生|女士|局长|主任|部长|行长|司长|主席|总裁|总经理|董事长|负责人|发言人|专家|学者|官员|分析师)"
    r"[^，。？?]{0,8}"
    r"(?:全名|名字全称|(?:名|名字)叫(?:什么|啥))"
)
_ASKS: dict[str, dict[str, str]] = {
    "article": {
        "en": r"\b(?:which|what)\s+(?:article|section|clause|provision)s?\b",
        "zh": r"第几条|哪一?条|哪个条款|什么条款",
    },
    "percent": {
        # However qualified: "what exact share", "what rough proportion", "多少比例", "占比多少".
        "en": r"\bpercentage\b|\bwhat (?:\w+ )?(?:percent|share|proportion|fraction)\b|\bper ?cent of\b|"
              r"\bhow many percent\b|\bwhat\s*%|\bwhat(?:'s|’s| is| was| were| are)? (?:the |its |their )?(?:\w+ ){0,2}"
              r"(?:growth|increase|decline|drop|fall|rise) rates?\b|\bby what (?:percentage|share|margin)\b",
        "zh": r"百分之(?:几|多少)|多少\s*[%％]|百分比|多大比例|多少比例|比例(?:是|为|有)?多少|占比(?:是|为|有)?多少|几成|"
              # A rate of change is a percentage ("增速是多少", "涨幅多大", "the annual growth rate").
              r"(?:增速|增长率|增幅|涨幅|跌幅|降幅|增长速度)(?:是|为|有)?(?:多少|多大|几)",
    },
    "amount": {
        # "how much of a priority" asks for no amount.
        "en": r"\bhow much\b(?! of an?\b)|\bwhat(?:'s|’s| is| are| was)? the (?:\w+ ){0,2}(?:fees?|costs?|price)\b|"
              r"\bwhat(?:'s|’s| was| is| were| are) the (?:\w+ )?(?:fines?|penalt(?:y|ies))\b|"
              r"\bhow (?:big|large|high|steep)(?:'s|’s| was| is| are| were)? (?:the |a )?(?:fines?|penalt(?:y|ies))|"
              r"\b(?:max(?:imum)?|highest|biggest|largest|minimum|top|top[- ]end|worst[- ]case|heaviest|stiffest) "
              r"(?:fines?|penalt(?:y|ies))\b|\bwhat fines?\b(?!-)|\bfine range\b|"
              r"\bwhat (?:\w+ )?(?:penalt(?:y|ies)|sanctions?)\b|"
              # How large a fine can be, however worded: "the ceiling on the fine", "dsl fine for X? whats the
              # range", "how big can the DSL fine get".
              r"\b(?:ceiling|cap|upper limit|range|size) (?:on|of|for) (?:the |a |any )?(?:fines?|penalt(?:y|ies)|"
              r"fees?|charges?)\b|"
              r"\b(?:fines?|penalt(?:y|ies))\b[^.?!]{0,80}[.?!]?\s*\b(?:what(?:'s|’s| is)?|whats) "
              r"the (?:range|ceiling|cap)\b|"
              r"\bhow (?:big|large|high|steep) (?:can|could|may|might|would|will) (?:the |a |an )?(?:\w+ )?"
              r"(?:fines?|penalt(?:y|ies))\b|"
              # A sum asked in a currency: "what's that in usd", "the fine in yuan", "in RMB, how big was ...".
              rf"\b(?:what(?:'s|’s| is| was)?|whats|how much(?: is| was)?) (?:that|it|this) in {_CURRENCY}|"
              rf"\b(?:fines?|penalt(?:y|ies)|equivalent|worth)\b[^.?!]{{0,30}}{_IN_CURRENCY}|^in {_CURRENCY},|"
              rf"\b(?:yuan|rmb|renminbi|dollar|usd) {_SUM_WORDS}|\bhow many (?:\w+ )?{_CURRENCY}|"
              # ... or by its sign: "how many $?", "how much ¥".
              r"\bhow (?:many|much)\s*[$¥€£]|"
              # A price, cost or sum however qualified ("at what closing price", "what minimum amount of
              # cover"); an amount of data or of people is a count.
              r"\bwhat (?:\w+ ){0,2}(?:prices?|sums?|costs?|fees?)\b|"
              # A firm's money named as such: "what minimum registered capital", "what revenue threshold".
              r"\bwhat (?:\w+[ -]){0,2}(?:capital|revenues?|turnover|income|profits?|budgets?|funding|investment)\b|"
              rf"\b(?:expressed|converted|given|stated) in (?:\w+ )?{_CURRENCY}|"
              rf"\bwhat (?:\w+ ){{0,2}}amount\b(?! of (?:\w+ )?{_COUNTED_STUFF})",
        # A fee asked for is an amount too: "要交多少评估费", "收费标准是多少" (not "能收费吗"); so is the range
        # or cap of a fine or compensation ("罚款区间是多少", "赔偿上限是多少").
        "zh": r"多少钱|罚(?:了|款)?多少|多少罚款|罚款(?:金额|数额|上限|幅度|范围|标准|是多少)|"
              r"(?:人民币|美元)(?:金额|数额)|多少(?:万|亿)?(?:元|块|美元|人民币)|多少(?:资金|经费|预算|投资|钱款)|"
              r"(?:换算|折算|兑换)成?(?:人民币|美元)|"
              r"(?:最高|最多)(?:可以)?(?:罚|处)|金额|多少[\u4e00-\u9fff]{0,3}费|折合(?:人民币|美元)|"
              r"(?:费用?|收费标准|价格)(?:是|为|要|大概|一般)?(?:多少|几)|(?:交|收|付)多少|(?:什么|多少|多高的?)价(?:格|位|钱)|"
              # A price however named: "收盘价多少", "标价是多少", "股价大概多少".
              r"价(?:格|钱|位)?(?:是|为|要|大概|一般|定在|在)?多少(?![人次家个])|"
              r"(?:罚款|罚金|赔偿|赔偿金)[\u4e00-\u9fff]{0,4}(?:是|为|有)多少|"
              # A sum of money however bounded: "注册资本至少多少", "罚款最多多少", "营业额要达到多少".
              rf"(?:罚款|罚金|赔偿金?|资本|资金|营业额|收入|利润)[\u4e00-\u9fff]{{0,6}}?多少(?!\s?(?:{_MEASURE}|人))",
    },
    # "How often ...?", "多久做一次？": answered by "每年", "at least once a year", not by a length of time.
    "frequency": {
        # An interval asked for is a frequency too: "every how many years", "at what interval", "the review
        # cycle"; so is a choice between two that ends the question ("once a year or every two years?", "an
        # annual requirement or a biennial one?"; not "annual turnover or monthly revenue?").
        "en": r"\bhow (?:often|frequently|regularly)\b|\bevery how many\b|\b(?:what|which) (?:\w+ )?intervals?\b|"
              r"\bhow many times\b[^?.]{0,60}?\b(?:a|per|each|every) (?:year|quarter|month|week|day)\b|"
              r"\b(?:review|audit|revision|update|reporting|assessment|inspection|renewal|testing) cycles?\b|"
              rf"{_EN_FREQUENCY}\b[^?.]{{0,40}}?\bor\b[^?.]{{0,20}}?{_EN_FREQUENCY}(?:\s+(?:one|basis|thing))?\s*(?:[?.!]|$)",
        # "每年至少组织几次" asks how often, not how many: a count of anything else does not answer it. A cycle
        # (not a life cycle) is how often; so is a choice between two ("每年一次还是两年一次？").
        "zh": r"(?:多久|多长时间|隔多久)[^，。？?！!]{0,12}一[次回趟]|频率|频次|(?:几|多少)(?:个)?(?:年|月|季度|天)一[次回]|"
              r"(?:每|一)个?(?:年|季度|月|周|星期|天|日)[^，。？?！!]{0,12}(?:几|多少)次|(?<!生命)周期|"
              rf"{_ZH_FREQUENCY}[^，。？?！!]{{0,12}}还是[^，。？?！!]{{0,6}}{_ZH_FREQUENCY}",
    },
    "duration": {
        # A retention period or floor is a length of time: "the retention floor for network logs", "保存期限".
        "en": r"\bhow long\b|\bhow soon\b|\bwithin how\b|"
              # A unit after its qualifiers too: "how many paid holiday days".
              r"\b(?:how many|number of) (?:\w+ ){0,2}?(?:days|minutes|mins|hours|hrs|weeks|wks|months|years|yrs|"
              r"decades)\b|"
              r"\b(?:retention|storage|record-?keeping) (?:period|floor|minimum|time|term)s?\b|\bminimum retention\b|"
              # ... and in a verb's words: "the minimum period for retaining the report", "the floor for keeping logs".
              r"\b(?:period|floor|minimum|time|term)s? (?:for|of) (?:retaining|keeping|storing|holding)\b|"
              # A period named by its bound or asked as a span ("the longest term a ... may serve", "within what
              # period"), not the period something happened in ("in what period did it begin?" asks when).
              r"\b(?:longest|shortest|maximum|minimum|max|min)\b (?:\w+ ){0,2}(?:period|duration|term|span|sentence)s?\b|"
              # A prison term asked for is a length of time: "what jail term could the CEO get?".
              r"\bwhat(?:'s|’s| is| was| are| would be| could be)? (?:the |a )?(?:\w+ ){0,2}(?:prison|jail|custodial) "
              r"(?:sentences?|terms?|time)\b|"
              r"\b(?:within|for) what (?:\w+ ){0,2}(?:period|duration|time)s?\b|\bwhat (?:\w+ ){0,2}durations?\b|"
              # A count left as a placeholder: "is there an X-hour clock?", "an N-day window".
              r"\b[xn][- ](?:minute|hour|day|week|month|year)s?\b",
        # ... in Chinese too: "有没有X小时内上报的要求？"
        # "几个月" is how many months, "几月几日" which day of which month.
        "zh": rf"多久|多长时间|(?<!月)(?:多少|{_JI}|(?<![A-Za-z])[XxNn]\s?)(?:个)?(?:工作日|分钟|小时|学时|课时|天|日|周|星期|个月|年)|"
              r"多少月|期限是|"
              r"(?:保存|留存|保留|存储)(?:期限|时限|时间)|最(?:长|短)的?(?:期限|时间|期间|时长)|"
              r"(?:有效期|期限|时长)(?:是|为|有)?多长|天数|"
              # The length asked before what it is of: "定了多长的整改期限", "多长的保存期".
              r"多长的?[\u4e00-\u9fff]{0,4}?(?:期限|时限|期间|周期|期)",
    },
    "number": {
        # A volume or a cut-off asked for is a number too: "below what data volume ...?", "the data volume cutoff".
        "en": r"\bhow many\b|\bwhat number\b|"
              r"\bwhat(?:'s|’s| is| was| are| were) the (?:\w+ ){0,2}(?:numbers?|thresholds?|count|total|figure|"
              r"volume|cut-?off)(?=\s*(?:of|for|that|to|at|in|under|before|above|[?.,]|$))|"
              r"\b(?:below|above|under|over|at) what (?:\w+ )?(?:volume|threshold|number|scale|level)\b|"
              # "what volume of records", "what quantity of data": a count of what follows.
              r"\bwhat (?:\w+ )?(?:volume|quantity) of\b|"
              r"\bwhat (?:\w+[ -]){0,3}?(?:number|threshold|headcount|cut-?off)s?\b"
              r"(?=\s*(?:of|for|that|at|under|above|below|did|does|do|is|are|would|will|[?.,]|$))"
              r"(?! of (?:the )?article)|"
              r"\bwhat(?:'s|’s| is| was| are| were) the (?:\w+[ -]){0,3}?headcount\b|"
              # An age is a number: "at what age", "how old", "the minimum age".
              r"\bat what age\b|\bhow old\b|\b(?:minimum|maximum|min|max) age\b",
        # "哪几家" and "这几家" ask which ones, not how many; "门槛是多少" asks for a number of whatever it is.
        "zh": rf"多少[万千百亿]?(?:{_MEASURE}|人(?!民币)|{_PEOPLE}|数量)|{_JI}(?:{_MEASURE})|{_JI}万?(?:人|{_PEOPLE})|"
              r"(?:是|有|达到|为)多少[？?]*$|(?:低于|高于|超过|不足|少于|多于|达到)多少(?!钱|费|罚)|"
              # A bound asked: "至少多少", "最多要多少", "上限是多少".
              r"(?:至少|最少|最多|最低|最高|不少于|不低于|不超过|上限|下限)(?:是|为|要|需要?|得|能|可以?)?多少(?!钱|费|罚)|"
              rf"(?:多少|{_JI})周?岁|多大(?:年龄|岁数)|年龄[\u4e00-\u9fff]{{0,6}}?(?:多少|多大)",
    },
    "date": {
        # A question opening "When processing causes harm, what must ...?" sets a condition (`without_conditions`).
        "en": r"^\s*when\b|"
              # However qualified or asked: "what exact day", "what was the date on which ...".
              r"\b(?:what|which)(?:'s|’s| is| was| were)?(?: the)? (?:(?!due\b)\w+ )?(?:year|date|day|month|weekday)\b"
              r"(?!-|\s+(?:limits?|windows?|periods?|clocks?|counts?)\b)|"
              r"\bsince when\b|"
              r"\bwhen (?:exactly |precisely |roughly |approximately )?(?:did|does|do|will|was|is)\b|"
              r"\b(?:exact|calendar|specific|effective|commencement|go-live|start) date\b",
        # "几月" asks which month ("每年几月之前"), "几个月" how many; "哪个日子" which day.
        "zh": r"什么时候|啥时候?|何时|几时|哪天|哪一天|哪日|几月几[日号]|几号|哪一年|哪年|什么日期|"
              r"生效日期|施行日期|哪个月|几月|哪(?:个|一)[\u4e00-\u9fff]{0,2}?日子|(?:星期|周|礼拜)几",
    },
    # "What's the deadline for reporting it?", "审查时限": neither how long nor when, but either answers it.
    "deadline": {
        "en": r"\b(?:deadlines?|due dates?|(?:time|hour|day)[ -]?limits?|time ?frames?|(?:cut-?off|closing) (?:dates?|times?)|"
              r"(?:reporting|notification|notice|response|review) (?:window|period|clock))\b",
        # Not the 时限 inside 临时限制 ("temporarily restrict").
        "zh": r"(?<!临)时限|截止|最晚|最迟",
    },
    # Who wrote or edited a report ("who did the editing?"): answered by its byline, which a law has none of. Who
    # writes rules ("who writes the security rules for military networks?") asks which body makes them, which a law
    # states.
    "author": {
        # An adverb between asks the same ("who actually wrote ...?").
        "en": r"\bwho (?:(?:actually|really|originally|exactly|first) )?"
              r"(?:wrote|writes|has written|authored|edited|reported|"
              r"(?:did|does|handled|made) (?:the |its )?(?:\w+ )?(?:edit|editing|write-?up|writing|reporting))\b"
              r"(?!(?:\s+[\w-]+){0,3}?\s+(?-i:rules?|regulations?|measures|provisions|standards?|guidelines)\b)|"
              # Not those spoken to ("told reporters", "briefed journalists"): they wrote nothing asked about.
              # And a writer asked about is one of a report, determined ("the author", "which wire
              # journalist"), not writers at large ("sci-fi novels by Chinese authors"); nor the subject of what
              # is asked about them ("where did the author study?", "how long has the editor lived there?").
              r"(?<!\bdid )(?<!\bdoes )(?<!\bdo )(?<!\bhas )(?<!\bhad )"
              r"\b(?:the|its|whose|which|that|this)\s+(?:(?!(?:did|does|do|has|had)\s)[\w'’./&-]+\s+){0,3}?"
              r"(?<!\btold )(?<!\bto )(?<!\bwith )(?<!\bbriefed )(?<!\btold the )(?:author|writer|reporter|journalist)s?\b"
              # Nor the author's page ("the author bio", "the author's note"): the question asks what it says.
              r"(?!['’]?s?\s+(?:bio(?:graphy|graphies|s)?|profiles?|blurbs?|notes?|pages?|box(?:es)?)\b)|"
              r"\bbylines?\b",
        # Nor 对记者说, 告诉记者, a 记者会 (a press conference); nor 作者 qualifying what else is asked for ("国内作者的
        # 小说"): a piece's author ("那篇的作者", "稿子作者") or the author as what is asked ("作者是谁", "作者叫啥").
        # What else is asked of an author ("那篇的作者以前在哪工作？", "作者是哪国人？") is the kind of that.
        "zh": r"谁写|谁(?:撰写|编辑|报道)的|(?:篇|文章|报道|稿子?|稿件|新闻|帖子?)的?\s*作者(?=\s*(?:[？?。]|$))|"
              r"作者(?:是(?:谁|哪位|何人)|叫|名|姓)|署名|"
              r"(?<![对向跟诉])记者(?!会)|撰稿人|执笔|"
              r"谁[^，。？?！!]{0,6}编辑|编辑是谁",
    },
    # "Who heads the bureau?" asks for a person; "who is responsible for checking?" may be answered by a firm.
    "official": {
        "en": r"\bwho(?:'s|’s| is| was)? (?:heads|leads|runs|chairs|directs)\b|"
              r"\bwho(?:'s|’s| is| was) the (?:\w+ )?(?:head|director|chief|minister|governor|chair(?:man)?|"
              r"president|spokes\w+|founder|CEO)\b|"
              r"\bwhich (?:\w+ )?(?:official|person|executive|minister|professor|academic|leader)\b|"
              r"\bname of the (?:\w+ ){0,3}(?:head|director|chief|minister|governor|chair(?:man)?|president|"
              r"spokes\w+|founder|CEO|official|executive)\b|"
              # A person's given or whole name: a source that calls them by one name ("Roe, a professor")
              # does not answer, one that names them anew ("Jane Roe") does (see `names_someone_new`).
              + _WHOLE_NAME_ASKED_EN,
        "zh": r"(?:局长|主任|部长|行长|司长|主席|总裁|总经理|发言人|负责人|首席执行官|董事长)"
              r"(?:是谁|叫(?:什么|啥)(?:名字)?|姓(?:什么|啥))|谁(?:是|担任)|" + _WHOLE_NAME_ASKED_ZH,
    },
    # "How does PIPL define anonymisation?", "网络运营者具体指谁？": the law's own definition, before "who".
    "definition": {
        "en": r"\bdefin(?:e|es|ed|ition|itions)\b|\bwhat (?:counts|qualifies|is considered|is regarded) as\b|"
              r"\bwhat is meant by\b|\bmean(?:s|t)? by\b|\bmeaning of\b|"
              # What a term takes in: "what does the concept of 'network operator' cover?", "the scope of the term".
              r"\b(?:concept|notion) of\b|\bscope of (?:the |that |this )?(?:term|concept|definition)\b|"
              # "What is sensitive personal information (under PIPL)?": a bare term, no "the", no possessive.
              r"^\s*what(?:'s|’s| is| are)\s+(?:an?\s+)?(?!the\b|it\b|this\b|that\b|there\b)"
              r"(?:[\w-]+\s+){0,3}[\w-]+(?:\s+(?:under|in|according to)\b[^?]{0,40})?\s*\?*\s*$",
        "zh": r"定义|界定|(?<![所意])指(?:什么|谁|哪)|什么意思|含义|算作|哪些.{0,15}属于|属于哪|概念|外延|内涵|"
              r"^(?:什么是|啥是)[^，。？?,]{2,15}[？?]*$|^[^，。？?,的]{2,15}是(?:什么|啥)[？?]*$",
    },
    # Whether a law reaches someone or something at all ("does PIPL even apply to us?", "个保法管不管个人家里的
    # 事？"): its scope provisions answer, wherever they stand ("也适用本法", "不适用本法", "适用其规定").
    "scope": {
        # Asked as a yes-no question: "an overseas processor that falls under PIPL" says whose duties are asked.
        "en": r"\b(?:does|do|did|would|will|is|are|could|can)\b[^?.]{0,60}?\b(?:apply|cover|reach|govern|bind|"
              r"(?:covered|governed|bound) by|fall (?:under|within|outside)|(?:in|out of) (?:its |the )?scope)\b",
        "zh": r"管不管|管得着|管得到|归[^，。？?]{0,8}管[吗么嘛]|(?:是否|能否|会不会)适用|适用[^，。？?]{0,12}[吗么嘛]|"
              r"在[^，。？?]{0,8}范围(?:内|之内)?[吗么嘛]",
    },
    # "In which city was the forum held?", "在哪座城市": a city's name answers, written as one.
    "city": {
        "en": r"\b(?:which|what) city\b",
        "zh": r"哪(?:座|个|一个)城市|什么城市",
    },
    "person": {
        "en": r"\b(?:who|whose)\b|\bwhich (?:academic|professor|official|minister|person|executive|expert|leader)\b|"
              # A person's name asked after them: "the oxford prof they quote - what's her name?", "name of the
              # historian in the article?".
              r"\bwhat(?:'s|’s|s| is| was)? (?:his|her|their) (?:full |first |last |given )?names?\b|"
              rf"\bname of (?:the|that|this) (?:[\w/-]+ ){{0,3}}{_PEOPLE_EN}\b|{_PEOPLE_EN}\b[^?.!]{{0,60}}\bnames?\b",
        "zh": r"谁|哪位|(?:教授|学者|专家|官员|领导|那位|这位|那个人)[^，。？?]{0,3}叫(?:什么|啥)|"
              r"(?:他|她|此人|这人|那人)叫(?:什么|啥)",
    },
    # The name of a document ("the official name of the rules", "what are the new measures called", "草案的正式
    # 名称"), asked within a few words of it: only a title written as one answers (see `_STATES["title"]`). The
    # name of a place, a body or an app has no such form.
    "title": {
        "en": rf"(?:{_NAME_ASKED})(?:\W+\w+){{0,8}}?\W+{_DOCUMENT_ASKED['en']}|"
              rf"{_DOCUMENT_ASKED['en']}(?:\W+\w+){{0,8}}?\W+(?:{_NAME_ASKED})",
        "zh": rf"(?:{_DOCUMENT_ASKED['zh']})[^。？?]{{0,8}}?(?:(?:正式|具体|官方)?(?:名称|全称|标题)|叫(?:什么|啥))",
    },
}
# The unit a duration is asked in ("how many hours", "多少个工作日"): the answer must state one in that unit,
# since a time limit in days does not answer a question about hours. unit: (asked as, stated as), in either
# language; a count of days may be given in working days. A count is not a date's year ("2021年") nor the year a
# figure is counted over ("上一年度").
_COUNT = rf"(?<![\d月年第上下本当每])(?:\d{{1,3}}(?:[.,]\d+)?|\b(?:{_NUMBER_WORDS})\b|{_ZH_NUMERAL}+)"
_UNITS: dict[str, tuple[str, str]] = {
    "minute": (r"minutes?|mins?|分钟", r"minutes?|分钟"),
    "hour": (r"hours?|hrs?|小时", r"hours?|小时"),
    "working day": (r"(?:working|business) days?|工作日", r"(?:working|business) days?|工作日"),
    "day": (r"days?|天|日", r"(?:working |business )?days?|工作日|天|日"),
    "week": (r"weeks?|wks?|周|星期", r"weeks?|周|星期"),
    "month": (r"months?|个月|月", r"months?|个月|月"),
    "year": (r"years?|yrs?|年", r"years?|年(?!度)"),
}
_UNIT_WORDS = "|".join(a for a, _ in _UNITS.values())
# "how many hours", "多少个工作日", and a limit given its unit: "the hour deadline", "a 72-hour window",
# "the reporting deadline in hours", "expressed in hours", "(hrs/days)", "the deadline in days?", "按天算", and a
# count left as a placeholder: "an X-hour clock", "X小时内".
_UNIT_ASKED = re.compile(
    rf"(?:\bhow many|\bwithin how many|\bnumber of|多少|几|(?<![A-Za-z])[XxNn](?=\s?个?[\u4e00-\u9fff]))"
    rf"\s*(?:个)?\s*({_UNIT_WORDS})|"
    rf"\b({_UNIT_WORDS})[- ](?:deadline|limit|time limit|window|cut-?off|clock)\b|\b[xn][- ]({_UNIT_WORDS})\b|"
    rf"\b(?:deadline|limit|window|cut-?off)s? in ({_UNIT_WORDS})\b|"
    rf"\b(?:expressed|measured|given|stated|counted) in ({_UNIT_WORDS})\b|\(({_UNIT_WORDS})\s*/|"
    rf"\bin ({_UNIT_WORDS})\b(?=\s*(?:[,?)]|for\b|to\b|$))|(?:按|以)({_UNIT_WORDS})(?:算|计)",
    re.I,
)
_UNIT_STATED = {
    unit: re.compile(rf"{_COUNT}\+?\s?(?:个)?[\s-]?(?:{stated})", re.I) for unit, (_, stated) in _UNITS.items()
}
# What a count asks to number ("how many people", "多少家"): a count of something else does not answer it.
# unit: (asked as, stated as), in either language; "1000万人" and "1 million users" count people.
_COUNTED: dict[str, tuple[str, str]] = {
    "people": (
        r"\b(?:how many|number of) (?:\w+ )?(?:people|persons|individuals|users|employees|staff|customers|workers|"
        r"members|officials|executives|managers)\b|"
        rf"多少(?:万)?(?:个)?人|{_JI}(?:万)?个?人|(?:多少|{_JI})[名位]|多少(?:{_PEOPLE})|"
        # people counted, named before the count: "人数有下限吗？至少几个" (English "headcount" is said of firms too)
        rf"人数[\u4e00-\u9fff，、？?]{{0,10}}?(?:多少|{_JI})",
        r"(?:people|persons|individuals|users|employees|staff|customers|subscribers|workers|members|officials|"
        r"executives|managers)\b|(?:万|亿)?人|[名位]",
    ),
    "organisations": (
        r"\b(?:how many|number of) (?:\w+ )?(?:firms|companies|businesses|platforms|operators|organi[sz]ations|"
        r"entities)\b|"
        rf"多少家|{_JI}家",
        r"(?:firms|companies|businesses|platforms|operators|organi[sz]ations|entities|groups)\b|家",
    ),
    # An age is answered by an age ("不满十四周岁", "18 years old"), not by another count; a count of people or
    # firms that mentions an age ("how many users under the age of 14") is still of them.
    "age": (
        rf"\bage\b|\bhow old\b|岁|年龄",
        r"周?岁|years? old\b|years? of age\b",
    ),
}
_COUNT_ASKED = {unit: re.compile(asked, re.I) for unit, (asked, _) in _COUNTED.items()}
_COUNT_STATED = {
    unit: re.compile(
        rf"(?<![\d.,])(?:\d[\d,.]*|\b(?:{_NUMBER_WORDS})\b|{_ZH_NUMERAL}+)\s?(?:万|亿|million|thousand|billion)?\s?"
        rf"(?:\w+[\s-]){{0,3}}(?:{stated})",  # "12 major Chinese technology companies"
        re.I,
    )
    for unit, (_, stated) in _COUNTED.items()
}
# Chinese may name what it counts before the count: "注册用户5000万以上", "员工超过300", "企业数量达到100".
_COUNTED_BEFORE = {
    "age": r"(?:\baged? |\bage of |年满|不满|未满)",
    "people": r"(?:用户|个人|人员|员工|职工|会员|人口)",
    "organisations": r"(?:企业|公司|机构|单位|平台)",
}
_COUNT_STATED_BEFORE = {
    unit: re.compile(rf"{before}(?:数量?|数)?(?:达到?|超过|在|为)?(?:\d[\d,.]*|{_ZH_NUMERAL}+)\s?(?:万|亿)?(?:以上|以下|人|名|家)?")
    for unit, before in _COUNTED_BEFORE.items()
}


# How precisely a date is asked for: "星期几" wants a weekday; "day, month and year", "哪年哪月哪日" want the whole
# date, the year too ("will take effect on September 1" does not say of which year); "on what date", "几月几日",
# "the exact day" want the day of the month, not only the month or year ("On Thursday, the regulator announced
# ..." does not say which Thursday); "what day", "哪一天" are also answered by a weekday ("on Friday"); "which
# year" wants a year.
# grain: (asked as, stated as), in either language; the first grain whose question pattern matches counts.
_ISO_DATE = r"\b(?:19|20)\d\d-\d\d-\d\d\b"
_ZH_MONTH_DAY = rf"(?:\d{{1,2}}|{_ZH_NUMERAL}+)月(?:\d{{1,2}}|{_ZH_NUMERAL}+)[日号]"
_DAY_OF_MONTH = (
    rf"(?:\b(?:{_EN_MONTH})[a-z]*(?:\.\s*|\s+)\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTH})|"
    rf"{_ISO_DATE}|{_ZH_MONTH_DAY})"
)
_FULL_DATE = (
    rf"{_ISO_DATE}|(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})年{_ZH_MONTH_DAY}|"
    rf"\b(?:{_EN_MONTH})[a-z]*\.?\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTH})[a-z]*\.?,?\s+(?:19|20)\d\d\b"
)
_WEEKDAY = r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|(?:星期|周|礼拜)[一二三四五六日天]"
_DATE_GRAINS: dict[str, tuple[str, str]] = {
    # "星期几", "what day of the week": only a weekday answers, though a sentence nearby may state the date.
    "weekday": (r"\bday of the week\b|\bweekday\b|(?:星期|周|礼拜)几", _WEEKDAY),
    "full date": (r"\bday,? month,? and (?:the )?year\b|\bfull date\b|哪年哪月哪[日天号]|年月日", _FULL_DATE),
    "day of month": (
        r"\b(?:what|which|exact|specific|effective|calendar) (?:calendar )?date\b|\bwhen exactly\b|\bexactly when\b|"
        r"\b(?:exact|precise|specific) (?:calendar )?day\b|"
        r"几月几[日号]|几号|什么日期|具体日期|具体(?:是)?什么时候|哪(?:个|一)[\u4e00-\u9fff]{0,2}?日子",
        _DAY_OF_MONTH,
    ),
    "day": (r"\b(?:what|which) day\b|哪一?天|哪一?日", rf"{_DAY_OF_MONTH}|{_WEEKDAY}"),
    "month": (
        r"\b(?:what|which) month\b|哪个月|几月(?!几)",
        rf"{_DAY_OF_MONTH}|\b(?:january|february|march|april|june|july|august|september|october|november|december)\b|"
        rf"\b(?-i:May)\b|(?:\d{{1,2}}|{_ZH_NUMERAL}+)月",  # not the modal "may"
    ),
    "calendar year": (
        r"\b(?:what|which) year\b|哪一?年|几几年|什么年份|哪个年份",
        r"\b(?:19|20)\d\d\b|\b(?:last|this|next) year\b|\d{4}年|去年|今年|明年",
    ),
}
_GRAIN_ASKED = {grain: re.compile(asked, re.I) for grain, (asked, _) in _DATE_GRAINS.items()}
_GRAIN_STATED = {grain: re.compile(stated, re.I) for grain, (_, stated) in _DATE_GRAINS.items()}


# What an amount is asked in or of. A currency ("in yuan", "折合人民币"): a sum in another currency does not
# answer it, nor does a conversion the text never makes. A fee ("多少认证费", "what's the application fee"),
# when not a fine: answered by a sum the text says is charged, not by a fine stated next to it.
# unit: (asked as, stated as), in either language; the first that matches counts.
_AMOUNTS: dict[str, tuple[str, str]] = {
    # "in yuan", "the renminbi amount", "the USD figure", "人民币金额".
    "yuan": (r"\b(?:in|into) (?:chinese )?(?:yuan|rmb|renminbi)\b|"
             r"\bhow (?:many|much) (?:chinese )?(?:yuan|rmb|renminbi)\b|"
             r"(?:折合|换算成?|折算成?|兑换成?)人民币|(?:多少|几)(?:万|亿)?(?:元)?人民币|"
             rf"\b(?:yuan|rmb|renminbi) {_SUM_WORDS}|人民币(?:金额|数额)",
             r"元|\byuan\b|\brmb\b|¥"),
    "dollar": (r"\b(?:in|into) (?:us )?(?:dollars|usd|us\$)|\bhow (?:many|much) (?:us )?(?:dollars|usd)\b|"
               r"(?:折合|换算成?|折算成?|兑换成?)美元|(?:多少|几)(?:万|亿)?美元|"
               rf"\b(?:dollar|usd|us dollar) {_SUM_WORDS}|美元(?:金额|数额)",
               r"\$|\b(?:dollars?|usd)\b|美元"),
    "fee": (r"费|\b(?:fees?|costs?|price|charges?)\b", r"费|\b(?:fees?|costs?|price|charge[sd]?)\b"),
}
_CURRENCIES = ("yuan", "dollar")
_AMOUNT_ASKED = {unit: re.compile(asked, re.I) for unit, (asked, _) in _AMOUNTS.items()}
# The role a question asks a person by ("which professor", "副主任叫啥名字", "who chaired"): the name that
# answers it is introduced in that role, not any name the sentence holds (a president who sent a message, for
# who chaired a meeting). role: (asked as, stated as), in either language; a deputy is asked for before a head.
_ROLES: dict[str, tuple[str, str]] = {
    "deputy": (r"\b(?:deputy|vice)\b|副(?:主任|局长|部长|司长|行长)", r"\b(?:deputy|vice)\b|副"),
    "professor": (r"\b(?:prof(?:essor)?|academic|scholar)s?\b|教授|学者",
                  r"\b(?:prof(?:essor)?|academic|scholar)\b|教授|学者"),
    "head": (r"\b(?:head|director|chief)s?\b|局长|主任|司长|署长|负责人",
             r"\b(?:head|director|chief)\b|局长|主任|司长|署长|负责人"),
    "minister": (r"\bministers?\b|部长", r"\bminister\b|部长"),
    "governor": (r"\bgovernors?\b|行长", r"\bgovernor\b|行长"),
    "executive": (r"\b(?:executive|CEO|chairman|chairwoman|founder)s?\b|高管|总裁|董事长|创始人",
                  r"\b(?:executive|CEO|chairman|chairwoman|founder)\b|高管|总裁|董事长|创始人"),
    "chair": (r"\bchair(?:ed|s)?\b|\bpresided\b|主持", r"\bchair(?:ed|s|man|woman)?\b|\bpresided\b|主持"),
    "spokesperson": (r"\bspokes(?:person|man|woman)\b|发言人", r"\bspokes(?:person|man|woman)\b|发言人"),
}
_ROLE_ASKED = {role: re.compile(asked, re.I) for role, (asked, _) in _ROLES.items()}
_DOCUMENT_TYPE_ASKED = {
    document: re.compile(rf"\b(?:{en})\b|{zh}", re.I) for document, (en, zh, _) in _DOCUMENTS.items()
}
_DOCUMENT_TYPE_STATED = {document: re.compile(stated) for document, (_, _, stated) in _DOCUMENTS.items()}
_ROLE_STATED = {role: re.compile(stated, re.I) for role, (_, stated) in _ROLES.items()}
# The event a date is asked of ("when did the rules take effect?", "刘烈宏哪年上任的？"): a date stated of another
# event beside it (the day the rules were announced, a caption's date) does not answer it, in either language.
# event: (asked as, stated as).
_VALIDITY = r"\bvalid\w*|\bexpir\w*|有效期|有效|过期|到期|届满"
_RETENTION = (r"\b(?:keeps?|kept|retain\w*|retention|stor(?:e|ed|ing|age)|preserv\w*|archiv\w*)\b|"
              r"保存|保留|留存|存储|存放|存多久")
_EVENTS: dict[str, tuple[str, str]] = {
    "taking effect": (TAKES_EFFECT_ASKED.pattern, TAKES_EFFECT.pattern),
    "appointment": (
        r"\b(?:appoint\w*|t(?:ake|akes|ook|aken) (?:over|office)|bec(?:ome|ame|omes) (?:the )?(?:head|director|"
        r"chief|governor|minister))\b|上任|任命|接任|就任|出任",
        r"\bappoint\w*|\bt(?:ake|akes|ook|aken) (?:over|office)\b|上任|任命|接任|就任|出任",
    ),
    "founding": (
        r"\b(?:set up|establish(?:ed)?|founded|creat(?:e|ed))\b|成立|设立|组建|挂牌",  # not "found" (find)
        r"\b(?:set up|establish\w*|found(?:ed|ing)|creat(?:ed|ing|ion))\b|成立|设立|组建|挂牌",
    ),
    # Made public however: "具体是在哪一天公布的？", "when was the draft published?".
    "announcement": (r"\b(?:announc\w*|unveil\w*|publish\w*|releas\w*)\b|宣布|公布|发布",
                     r"\b(?:announc\w*|unveil\w*|publish\w*|releas\w*|issu\w*)\b|宣布|公布|发布|印发"),
    # A draft's public consultation: the day the draft was announced, or a law's in-force date, is not when
    # comments are due.
    "consultation": (
        # When comments are due, not a question that merely mentions the draft they were asked on.
        r"\b(?:comments?|feedback|consultation)\s+(?:period|window|deadline|clos(?:e|es|ed|ing)|end(?:s|ed)?)\b|"
        r"\b(?:comments?|feedback)\b[^?.]{0,40}\bdue\b|"
        r"\b(?:deadline|cut-?off|due date|closing date|end date)\s+(?:for|on|of)\s+(?:\w+\s+){0,2}"
        r"(?:comments?|feedback|consultation)\b|"
        r"\b(?:submit|send|file|give|provide)\w*\s+(?:\w+\s+){0,2}(?:comments?|feedback)\b|"
        # ... however the cut-off is put: "反馈窗口开到几号为止", "意见要在什么时候之前交".
        r"(?:征求意见|意见|反馈)[^，。？?]{0,10}?(?:截止|截至|期限|结束|之前|以前|为止)|(?:提交|反馈|提)意见|意见反馈",
        # ... and stated with the day they are due, not the day they were asked for.
        rf"(?:\b(?:comments?|feedback|consult\w*)\b|意见|反馈)[^.。;；]{{0,80}}?(?:{_DUE})|"
        rf"(?:{_DUE})[^.。;；]{{0,80}}?(?:\b(?:comments?|feedback)\b|意见|反馈)",
    ),
    # What a period is of: how long a result stays valid is not how long a record is kept ("认证证书有效期是几
    # 年？" is not answered by "记录应当至少保存三年"), nor the other way round.
    "validity": (_VALIDITY, _VALIDITY),
    "retention": (_RETENTION, _RETENTION),
}
# The events a deadline is asked of: "the deadline to file after it takes effect" asks for a time limit.
_DEADLINE_EVENTS = ("consultation",)
# What a period is asked of.
_DURATION_EVENTS = ("validity", "retention")
# The events each kind of question may ask of.
_EVENTS_OF_KIND = {
    "date": tuple(event for event in _EVENTS if event not in _DURATION_EVENTS),
    "deadline": _DEADLINE_EVENTS,
    "duration": _DURATION_EVENTS,
}
_EVENT_ASKED = {event: re.compile(asked, re.I) for event, (asked, _) in _EVENTS.items()}
_EVENT_STATED = {event: re.compile(stated, re.I) for event, (_, stated) in _EVENTS.items()}
PERSON_KINDS = ("official", "person")
# A fine or a detention is what breaking a rule costs: it answers a question about a breach or its penalty
# ("how much could we be fined?", "what can it cost us?", "the 10m yuan cap", "违反了要承担什么后果？"), not one
# asking for another sum or length of time ("the budget", "how many days of notice"), in either language. A
# prison term or a detention asked for is a penalty asked (`_PENALTY_ASKED`, looked for first).
_BREACH_ASKED = re.compile(
    r"\b(?:fine[sd]?|penalt\w*|penali[sz]\w*|punish\w*|sanction\w*|violat\w*|breach\w*|break(?:s|ing)?|broken?|"
    r"infring\w*|offen[cds]\w*|non-?complian\w*|illegal\w*|unlawful\w*|crim\w*)\b|"
    r"罚|违反|违法|违规|犯罪|非法|代价|后果|法律责任",
    re.I,
)
# Words that speak of a breach's cost only when no other sum is named: "the cap" is a fine's, but "the cap on the
# fee for a transfer" is the fee's, and "liability insurance" is a policy, not a penalty. What something "can
# cost" is a consequence; what it "does cost" is a price ("how much does a ride to the airport cost?"). (Chinese
# names a fine's cap with 罚, which `_BREACH_ASKED` reads.)
_COST_ASKED = re.compile(
    r"\b(?:liab\w*|caps?|capped|ceiling|exposure)\b|\b(?:can|could|may|might|would|will)\b[^?.!]{0,40}?\bcost\b",
    re.I,
)
_OTHER_SUM = re.compile(
    r"\b(?:fees?|charges?|charging|prices?|insurance|premiums?|budgets?|salar(?:y|ies)|wages?|tax(?:es)?)\b", re.I
)
PENALTY_FACT_KINDS = ("amount", "duration", "deadline")
# The clauses of a sentence: a Chinese provision's parts between commas still speak of one penalty
# ("受到治安管理处罚的人员，五年内不得从事……"), but an English sentence may join a law's in-force date and
# its fines at a comma.
_CLAUSE = re.compile(r"[；;。]|,\s")
# A penalty the text refers to rather than imposes: "受到……处罚的人员", "依法给予处分", "penalised", "fines".
_PENALISED = re.compile(r"处罚|处分|罚|徒刑|\bpunish\w*|\bpenali[sz]\w*|\bfines\b|\bjail\w*|\bprison\w*", re.I)
# A penalty asked for beyond a fine: "how long could we be jailed?", "判几年", "最多拘留多久".
_PENALTY_ASKED = re.compile(
    r"\b(?:jail\w*|prison\w*|detain\w*|detention|sentenc\w*)\b|徒刑|拘留|坐牢|判(?:几|多少|多久)", re.I
)
_AMOUNT_STATED = {unit: re.compile(stated, re.I) for unit, (_, stated) in _AMOUNTS.items()}


def asked_unit(question: str, kind: str | None) -> str | None:
    """The unit a duration question asks in ("hour" for "within how many hours?"), the grain a date question
    asks at ("day of month" for "on what date?"), what a count question counts ("people" for "多少人"), what an
    amount is of ("fee" for "要交多少评估费"), the role a person is asked for by ("chair" for "who chaired it?"),
    or None."""
    if kind == "amount":
        # What a breach costs is a fine, whatever else the question says ("could cost up to 10m yuan", "what can
        # moving core data abroad without approval cost?"), but in its currency.
        penalty = asks_about_breach(question) is not None
        return next((unit for unit, pattern in _AMOUNT_ASKED.items()
                     if pattern.search(question) and (unit in _CURRENCIES or not penalty)), None)
    if kind == "date":
        return next((grain for grain, pattern in _GRAIN_ASKED.items() if pattern.search(question)), None)
    if kind == "number":
        return next((unit for unit, pattern in _COUNT_ASKED.items() if pattern.search(question)), None)
    if kind in PERSON_KINDS:
        return next((role for role, pattern in _ROLE_ASKED.items() if pattern.search(question)), None)
    if kind == "title":
        return next((document for document, pattern in _DOCUMENT_TYPE_ASKED.items() if pattern.search(question)),
                    None)
    match = _UNIT_ASKED.search(question) if kind in ("duration", "deadline") else None
    if match is None:
        return None
    word = next(group for group in match.groups() if group)
    return next(unit for unit, (asked, _) in _UNITS.items() if re.fullmatch(asked, word, re.I))


def asked_event(question: str, kind: str | None) -> str | None:
    """The event a date or deadline question asks the date of, or what a period is asked of (one of `_EVENTS`:
    "taking effect", "appointment", ..., "retention"), or None: "When did the rules take effect?" is answered only
    by a sentence saying something does, "how long must logs be kept?" only by one saying how long they are kept."""
    return next((event for event in _EVENTS_OF_KIND.get(kind, ()) if _EVENT_ASKED[event].search(question)), None)


def states_event(text: str, event: str | None) -> bool:
    """Whether ``text`` speaks of ``event`` (true for None)."""
    return event is None or bool(_EVENT_STATED[event].search(text))


def names_someone_new(text: str, kind: str | None, question: str) -> bool:
    """Whether ``text`` names a person the ``question`` does not, when it asks for one by role (true for other
    kinds): "Who headed the bureau before Jane Roe?" and "Roe教授全名叫什么？" are not answered by "Jane Roe"
    or "Roe". A name is its last two capitalised words ("Vice Minister Jane Roe"). Asked for the whole name of
    someone it names ("What is Professor Roe's first name?"), only that person named anew answers ("Jane Roe",
    not another professor's "John Doe")."""
    if kind != "official":
        return True
    asked = set(re.findall(r"[a-z]+", question.lower()))  # whole words: "Li" is not in "listing"
    whole_name = bool(_WHOLE_NAME_ASKED.search(question))
    for name in stated(text, kind):
        words = {word.lower() for word in re.findall(r"[A-Z][a-z]+", name)[-2:]}
        if not words <= asked and (not whole_name or words & asked):
            return True
    return False


def asks_about_breach(question: str) -> str | None:
    """What ``question`` asks of breaking a rule: "penalty" when it asks what penalty a breach carries (a fine, a
    detention, a prison term), "breach" when it speaks of one otherwise, or None; in either language."""
    if asks_about_penalty(question) or _PENALTY_ASKED.search(question):
        return "penalty"
    if _BREACH_ASKED.search(question) or (_COST_ASKED.search(question) and not _OTHER_SUM.search(question)):
        return "breach"
    return None


def fits_breach(text: str, kind: str | None, breach: str | None) -> bool:
    """Whether a fact of ``kind`` stated in ``text`` may answer a question asking ``breach`` of breaking a rule
    (see `asks_about_breach`): a fine or a detention answers only a question about a breach, and a question
    about a penalty only a sentence stating one. The clause stating the fact decides the first, since a
    sentence may give a law's in-force date and its fines side by side."""
    if kind not in PENALTY_FACT_KINDS or breach == "breach":
        return True
    if breach == "penalty":
        return _penalising(text)
    clauses = [clause for clause in _CLAUSE.split(text) if states(clause, kind)] or [text]
    return any(not _penalising(clause) for clause in clauses)


def _penalising(text: str) -> bool:
    return imposes_penalty(text) or bool(_PENALISED.search(text))


KINDS = tuple(_ASKS)
_ASK_PATTERNS = {kind: {lang: re.compile(p, re.I) for lang, p in by_lang.items()} for kind, by_lang in _ASKS.items()}
# A name is told by its capitals ("according to Sun Weimin", not "according to the proposed rules").
_CASED = ("person", "official", "author", "title", "city")
_STATE_PATTERNS = {kind: re.compile(p, re.M | (0 if kind in _CASED else re.I)) for kind, p in _STATES.items()}
_EXTRACT_PATTERNS = {
    kind: re.compile(_EXTRACT.get(kind, p), re.M | (0 if kind in _CASED else re.I)) for kind, p in _STATES.items()
}
_COUNTING_PATTERN = re.compile(_COUNTING, re.I)
_WHOLE_NAME_ASKED = re.compile(f"{_WHOLE_NAME_ASKED_EN}|{_WHOLE_NAME_ASKED_ZH}", re.I)
_REFERENCE_PATTERN = re.compile(_REFERENCE, re.I)
_NOT_COUNTING_PATTERN = re.compile(_NOT_COUNTING, re.I)
# Kinds whose absence from the answering sentence means the question is not answered (a "who" question may
# be answered by a firm or a regulator, which names no person).
FACT_KINDS = (
    "article", "percent", "amount", "frequency", "duration", "number", "date", "deadline", "official", "author",
    "title", "city",
)
# Kinds of fact about a document as a whole: the names in the question say which document ("who wrote the piece
# on Alibaba?"), so its passage stating the fact need not repeat them.
DOCUMENT_KINDS = ("author",)
# Kinds whose passages in a law the question names are looked for and preferred: the fact kinds, a definition,
# which laws gather in one article ("本法下列用语的含义") far from the words that use the term, and a law's scope,
# stated in its first and last articles.
SOUGHT_KINDS = (*FACT_KINDS, "definition", "scope")


def without_asking(question: str, kind: str | None, language: str) -> str:
    """``question`` less the words that ask for ``kind`` ("How many hours does the drive take?" -> "does the
    drive take?"): what is left says what the question is about."""
    pattern = _ASK_PATTERNS[kind].get(language) if kind in _ASK_PATTERNS else None
    return pattern.sub(" ", question) if pattern is not None else question


# A condition the asker sets is not what they ask: "保存期限难以确定的，规则中应当写明什么？" and "When a serious
# incident hits, to which bodies must it be reported?" ask for a content and a body, not a duration or a date.
# A condition clause opens with its word, or in Chinese ends in 的/时(候)/后/前 before the comma. When the rest asks
# nothing, the condition holds the question ("个人信息处理规模达到多少人时，需遵守这些义务？").
_EN_AUXILIARY = r"(?:does|do|did|is|are|was|were|can|could|should|must|will|would|may|shall|has|had|have)\b"
_CONDITION = {
    "en": re.compile(rf"(?:^|(?<=[,;:] ))(?:if|where|unless|in case|once|whenever|when(?! {_EN_AUXILIARY}))"
                     r"\s+[^,?;]+,\s*", re.I),
    "zh": re.compile(r"(?:^|(?<=[，,；;：:]))(?:(?:如果|若|假如|要是|一旦|倘若)[^，,。？?；;]*|"
                     r"[^，,。？?；;：:]*?(?:的|时|时候|后|前))[，,]"),
}
_QUESTION_WORD = {
    # A yes-no question asks with its verb: "When the law takes effect, will we need fresh consent?".
    "en": re.compile(rf"\b(?:what|which|who|whom|whose|how|when|where|whether)\b|(?:^|[.,;:]\s*){_EN_AUXILIARY}", re.I),
    "zh": re.compile(r"多少|几|什么|啥|哪|谁|多久|多长|怎|吗|么|是否|有没有|(?:能|要|可|会|是|用)不"),
}


def without_conditions(question: str, language: str) -> str:
    """``question`` less the condition clauses before what it asks: ``without_conditions("If the period cannot
    be fixed, what must the rules state?", "en") == ". what must the rules state?"``."""
    pattern, asking = _CONDITION.get(language), _QUESTION_WORD.get(language)
    if pattern is None or asking is None:
        return question
    left = pattern.sub(". " if language == "en" else "。", question)  # a break: no pattern spans the cut
    return left if asking.search(left) else question


# "users who disagree", "a firm whose app ...": after a noun, "who" opens a relative clause, not a question. It
# asks only when it opens a sentence or clause, follows a conjunction or preposition ("and whose instructions",
# "under whose coordination") or a verb that embeds a question ("say who must approve", "cites who"), or when
# nothing before it in the sentence asks ("Name the official who told reporters ...").
_RELATIVE = {
    "en": re.compile(r"(?P<before>\b[\w’'-]+) +(?:who|whom|whose)\b", re.I),
}
_ASKS_BEFORE_WHO = {
    "en": frozenset(
        "and or but nor of to by for with from under about than as at on in "
        "say says said state states stated specify specifies decide decides decided determine determines "
        "know knows tell tells told ask asks asked asking explain explains mention mentions name names list "
        "lists show shows clarify clarifies identify identifies check cite cites cited out see matter".split()
    ),
}


def without_relatives(question: str, language: str) -> str:
    """``question`` with the relative pronouns that follow a noun replaced by "that", in a sentence already
    asking: ``without_relatives("Can an app refuse users who disagree?", "en") == "Can an app refuse users that
    disagree?"``."""
    pattern, asking = _RELATIVE.get(language), _QUESTION_WORD.get(language)
    if pattern is None or asking is None:
        return question

    def relative(match: re.Match) -> str:
        sentence = re.split(r"[.?!]\s", question[: match.start()])[-1]
        before = match["before"]
        # A name before it is a source named as the question's context ("per NDSMR who ..."), since a relative
        # clause after a name takes a comma ("Opper, who ...").
        if before.lower() in _ASKS_BEFORE_WHO[language] or before.isupper() or not asking.search(sentence + " "):
            return match.group()
        return f"{before} that"

    return pattern.sub(relative, question)


def asked_kind(question: str, language: str) -> str | None:
    """The kind of fact ``question`` asks for (one of `KINDS`), or None."""
    asking = without_conditions(without_relatives(question, language), language)
    for kind, patterns in _ASK_PATTERNS.items():
        pattern = patterns.get(language)
        if pattern is not None and pattern.search(asking):
            return kind
    return None


def numbers_given(question: str) -> frozenset[int]:
    """The values of the numbers ``question`` states ("how many of the 12 firms ...?" -> {12}), in digits,
    English words or Chinese numerals."""
    return frozenset(n for m in _VALUE.finditer(question) if (n := _value(m.group())) is not None)


def _value(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    if number.lower() in _WORD_VALUES:
        return _WORD_VALUES[number.lower()]
    try:
        return parse_chinese_number(number)
    except ValueError:
        return None


# Which particular firms, apps or bodies ("which specific companies did he name?", "看准那个招聘app叫什么？",
# "具体由哪家机构来做？"): a sentence that names none besides the question's own ("some big tech companies")
# does not answer. A firm is named as a name is written; a body may be named by what it is ("人民检察院"), but a
# law's body ("国家网信部门") is no firm. A class a law does name ("which companies must appoint an officer?",
# "which bodies may sue?") is asked without "specific" or a verb of naming and stays a plain question. A product
# (an app, a store) has a name of its own, written beside it, which its maker's name is not (see
# `beside_products`).
_PRODUCTS = {
    "en": r"apps?|applications?|(?:app )?stores?|products?|brands?",
    "zh": r"App|app|APP|应用商店|应用市场|应用|软件|产品",
}
_FIRMS = {
    "en": r"compan(?:y|ies)|firms?|insurers?|banks?|platforms?|multinationals?|vendors?",
    "zh": r"公司|企业|平台|银行|保险",
}
_BODIES = {"en": r"bod(?:y|ies)|agenc(?:y|ies)|organi[sz]ations?|institutions?", "zh": r"机构|部门|组织"}
_NAMED_EN = rf"(?:{_PRODUCTS['en']}|{_FIRMS['en']}|{_BODIES['en']})"
_NAMED_ZH = rf"(?:{_PRODUCTS['zh']}|{_FIRMS['zh']}|{_BODIES['zh']})"
_NAMES_ASKED = {
    "en": re.compile(
        rf"\bwhich (?:specific|particular|exact) (?:\w+ ){{0,2}}{_NAMED_EN}\b|"
        rf"\bwhich (?:\w+ ){{0,2}}{_NAMED_EN}\b[^?]*\b(?:name[sd]?|cites?|cited|lists?|listed|"
        rf"mention(?:s|ed)?|accuse[sd]?|single[sd]? out)\b|"
        # "the name of Acme's app", "what are the names of the two apps", "which two apps ... what are they
        # called?"; "which app stores" (a store is always a particular one).
        rf"\bnames? of (?:the |its |their )?(?:[\w'’-]+ ){{0,4}}{_NAMED_EN}\b|\b{_NAMED_EN} (?:is |are )?called\b|"
        rf"\b{_NAMED_EN}\b[^?]*\bwhat (?:are|is|were|was) (?:they|it|those|these) called\b|"
        rf"\bwhich (?:\w+ )?(?:app )?stores?\b",
        re.I,
    ),
    "zh": re.compile(
        rf"具体(?:是)?(?:由)?哪(?:几|些)?家[^，。？?]{{0,6}}|哪几家[^，。？?]{{0,6}}|点名(?:了)?哪[^，。？?]{{0,6}}|"
        rf"{_NAMED_ZH}[^，。？?]{{0,6}}(?:叫什么|叫啥|名称|名字)|哪(?:些|几|个|家)?(?:应用商店|应用市场)"
    ),
}
# A possessor's mark on a noun ("the firm's apps"); Chinese marks none on it ("公司的App": 的 follows).
_POSSESSIVE = {"en": r"['’]s\b", "zh": r"(?!)"}
_NAMED_NOUN = {
    language: re.compile(
        rf"(?:(?P<products>{_PRODUCTS[language]})|(?P<firms>{_FIRMS[language]})|(?P<bodies>{_BODIES[language]}))"
        rf"(?P<possessive>{_POSSESSIVE[language]})?",
        re.I,
    )
    for language in _PRODUCTS
}
# A body as a Chinese text names it ("人民检察院", "国家网信部门", "消费者组织"): what a law answers "哪家机构" with.
ZH_BODY = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:委员会|部门|机构|组织|法院|检察院|办公室|局|署|厅|中心)")
# Where a product's own name is written: within four words of it ("its app, Acme Go, ...").
_PRODUCT_CONTEXT = re.compile(rf"(?:[\w'’.-]+\W+){{0,4}}\b(?:{_PRODUCTS['en']})\b(?:\W+[\w'’.-]+){{0,4}}", re.I)
# A firm as a text names it, by its legal form or its listing ("Acme Ltd (NASDAQ: ACME)", "Beta Inc."): the
# maker of a product, never the product.
_FIRM_NAME = re.compile(
    r"(?:\b[A-Z][\w&'’.-]*\s+){1,4}(?:Co|Ltd|Inc|Corp|Group|Holdings?|Limited|Company|Corporation|LLC|PLC)\b\.?|"
    r"\(\s*[A-Z]{2,}\s*:\s*[A-Z.]{1,6}\s*\)"
)


def asks_for_names(question: str, language: str) -> str | None:
    """What ``question`` asks which particular ones of, "products", "firms" or "bodies" ("What is the firm's
    app called?", "Which foreign insurers does the report name?", "具体是哪几家公司？"; "具体由哪家机构认证？"),
    or None."""
    pattern = _NAMES_ASKED.get(language)
    match = pattern.search(question) if pattern is not None else None
    if match is None:
        return None
    # The first of them named, not a possessor: "the logistics firm's two apps" asks for apps, "哪几家公司的App"
    # for firms (家 counts firms).
    head = next((m for m in _NAMED_NOUN[language].finditer(match.group()) if not m.group("possessive")), None)
    return head.lastgroup if head is not None else "bodies"


def beside_products(text: str) -> str:
    """The words of ``text`` within a few of a product ("its app, Acme Go, ..."), less the firms it names by
    their legal form or listing ("the app of ... Acme Ltd (NASDAQ: ACME)"): where a product's own name would be."""
    return " ".join(m.group() for m in _PRODUCT_CONTEXT.finditer(_FIRM_NAME.sub(" ", text)))


# What a catalogue or list holds ("国家核心数据目录里具体列了哪些数据？", "Which data types are listed in the
# national catalogue of important data?"): a text that says only that such a list is drawn up or published
# ("制定重要数据目录") does not answer; a sentence must set the list out after naming it ("目录包括：…"). A list of
# names ("名单") is asked for by naming firms (see `asks_for_names`), and what a list must state ("清单要列明哪些
# 内容？") is a duty the text sets, so neither counts.
_LIST_NOUN = r"目录|清单|catalogu?es?|catalogs?|inventor(?:y|ies)|\blists?\b"
# An English list is of names as often as of things ("is Acme on the list?"): a list asked about counts as a
# catalogue when it is of data, items, products, goods, equipment or technologies, or a control list ("the
# controlled-items list", "the export control list").
_THINGS = r"(?:data|items?|products?|goods|equipment|technolog(?:y|ies)|controlled|export[- ]control)"
_THINGS_LIST = rf"(?:{_THINGS}[\w-]*\s+(?:[\w-]+\s+)?lists?\b|\blists?\s+of\s+(?:\w+\s+){{0,2}}{_THINGS}\b)"
_CONTENTS_ASKED = {
    "zh": re.compile(
        r"(?:目录|清单)(?:里面|里|中|上|当中)?[，,]?(?:具体|都|一共|究竟|到底)*(?:包括|包含|列了|列出了|列明了|列有|有|涵盖|收录)"
        r"(?:了)?(?:哪些|什么|啥|哪几)|哪些[^，。？?]{0,10}(?:列入|纳入|列在|收录)[^，。？?]{0,10}(?:目录|清单)"
    ),
    "en": re.compile(
        r"\b(?:catalogu?e|catalog|inventory)s?\b[^?]*\b(?:lists?|includes?|contains?|covers?)\b|"
        r"\b(?:listed|included|appears?|are|is)\s+(?:\w+\s+){0,2}(?:in|on)\s+(?:[\w'’-]+\s+){0,6}"
        r"(?:catalogu?e|catalog|inventory)s?\b|"
        r"\bwhat(?:'s|’s| is| are)\s+(?:in|on)\s+(?:[\w'’-]+\s+){0,6}(?:catalogu?e|catalog|inventory)s?\b|"
        rf"\b(?:listed|included|appears?|are|is)\s+(?:\w+\s+){{0,2}}(?:in|on)\s+(?:the|its|that|this)\s+{_THINGS_LIST}|"
        # A catalogue named, then asked about: "The CSL mentions a catalogue of products. What is on it?"
        rf"\b(?:catalogu?e|catalog|inventory|{_THINGS_LIST})s?\b[^?]*[.;:—-]\s*[^?]*\b(?:what|which)\b[^?]*\b(?:on|in) it\b",
        re.I,
    ),
}
_CONTENTS_SET_OUT = re.compile(
    rf"(?:{_LIST_NOUN})[^。；;]*?(?:包括|包含|如下|：|:|\bincluding\b|\bincludes?\b|\bcontains?\b)", re.I
)


def asks_for_contents(question: str, language: str) -> bool:
    """Whether ``question`` asks what a catalogue or list holds ("重要数据目录具体包括哪些数据？", "Which data
    types appear in the national catalogue of important data?")."""
    pattern = _CONTENTS_ASKED.get(language)
    return bool(pattern is not None and pattern.search(question))


def sets_out_contents(text: str) -> bool:
    """Whether ``text`` names a catalogue or list and then sets out what it holds ("目录包括：…"), rather than
    saying only that one is drawn up ("国家制定政务数据开放目录")."""
    return bool(_CONTENTS_SET_OUT.search(text))


# What a question sets aside as known when it asks which others ("besides Acme, which firms were summoned?",
# "除了取得个人同意，还有哪些情形可以处理个人信息？"): the answer names others, so a sentence holding the set-aside
# words is no nearer it. Only with "which", "who" or "what other|else" (哪, 谁): "besides the fine, how long ...?"
# asks a fact of its own. 除 inside 删除, 排除, 解除 ... is no "besides", and 除此之外 sets nothing named aside.
_SET_ASIDE = {
    "en": re.compile(
        r"\b(?:besides|apart from|aside from|other than|in addition to)\s+(?P<what>[^?;]{1,80}?)"
        r"(?=\s*,?\s*(?:(?:on|in|for|of|at|by|to|from|with|under)\s+)?(?:which|what|who|whom|how)\b|\s*[?;]|"
        r"\s+(?:are|is|was|were|did|does|do|has|have|had|can|could|will|would|should|must|got|get)\b)",
        re.I,
    ),
    "zh": re.compile(
        r"(?<![删排清解去消免拆剔扣废])除(?:了)?(?P<what>[^，,？?。；;！!]{1,24}?)"
        r"(?:(?:以外|之外)[，,]?|外?[，,]|(?=还|也|另外))"
    ),
}
_ASKS_OTHERS = {
    "en": re.compile(r"\b(?:which|who|whom)\b|\bwhat\b[^?]*\b(?:other|else)\b", re.I),
    "zh": re.compile(r"哪|谁"),
}
_NOTHING_NAMED = re.compile(r"^(?:此|这|这些|那些|上述)")
# A list in a sentence: short items parted by list separators (a Chinese clause's comma parts clauses, not
# items); a law's enumerated item ("（二）为订立、履行……所必需；") is one item of its article's list.
_ITEM_SEPARATOR = {
    "en": re.compile(r"(\s*(?:[,;]+\s*(?:and|or)?|\band\b|\bor\b)\s*)", re.I),
    "zh": re.compile(r"(、|以及|或者|及|和|与)"),
}
# Two items make a list only when a conjunction joins them, where a comma also parts clauses ("… by the most
# innovative, private firms,” she said." is no list); three or more always do.
_PAIR_JOINED = {"en": re.compile(r"\b(?:and|or)\b", re.I)}
_MAX_ITEM = {"en": 5, "zh": 10}  # words, characters
_ENUMERATED_ITEM = re.compile(rf"^\s*{_LIST_ITEM}")
# A sentence that introduces the items below it: "符合下列情形之一的，……方可处理个人信息：".
_INTRODUCES_ITEMS = re.compile(r"[：:]\s*$")


def set_aside(question: str, language: str) -> tuple[str, ...]:
    """The things ``question`` sets aside when it asks which others: ``set_aside("Besides Acme and Globex,
    which firms were summoned?", "en") == ("Acme", "Globex")``; () when it sets nothing aside or asks no
    "which"."""
    asks = _ASKS_OTHERS.get(language)
    pattern = _SET_ASIDE.get(language)
    if asks is None or pattern is None or not asks.search(question):
        return ()
    found = [m.group("what").strip() for m in pattern.finditer(question)]
    items = (item.strip() for what in found if not _NOTHING_NAMED.match(what)
             for item in _ITEM_SEPARATOR[language].split(what)[::2])
    return tuple(dict.fromkeys(item for item in items if item))


def listed(text: str, passage: str, language: str) -> tuple[str, list[str]]:
    """The list ``text`` (a sentence of ``passage``, in ``language``) sets out or belongs to, as the words leading
    into it and its items: a law's enumerated items when it is one of them or introduces them, else its longest
    run of short items in a row, three or more or two joined by a conjunction ("sectors ranging from banking to
    mining, retail, and shipping" leads in with "sectors ranging from banking to mining"); ("", []) when it
    holds no list."""
    if _ENUMERATED_ITEM.match(text) or _INTRODUCES_ITEMS.search(text):
        items = [_ENUMERATED_ITEM.sub("", line) for line in passage.splitlines() if _ENUMERATED_ITEM.match(line)]
        if items:
            return "", items
    separator = _ITEM_SEPARATOR.get(language)
    parts = separator.split(text) if separator else [text]
    best: tuple[str, list[str]] = ("", [])
    run: list[str] = []
    for at in range(0, len(parts), 2):
        item = parts[at].strip()
        run = [*run, item] if 0 < _size(item, language) <= _MAX_ITEM[language] else []
        listing = len(run) >= 3 or (len(run) == 2 and _joined(parts[at - 1], language))
        if listing and len(run) > len(best[1]):
            first = at - 2 * (len(run) - 1)
            best = (parts[first - 2].strip() if first >= 2 else "", run)
    return best


def _joined(separator: str, language: str) -> bool:
    pattern = _PAIR_JOINED.get(language)
    return pattern is None or bool(pattern.search(separator))


# A name as a language writes one where it can be told: English capitalises it ("Globex", "Acme Group"), so an
# item of lower-case words ("security and development interests") names no firm; Chinese marks none.
_NAME_WRITTEN = {"en": re.compile(r"\b[A-Z]")}


def names_something(item: str, language: str) -> bool:
    """Whether a list ``item`` in ``language`` may be a name: ``names_something("Acme Group", "en")``."""
    pattern = _NAME_WRITTEN.get(language)
    return pattern is None or bool(pattern.search(item))


def names_aside(item: str, aside: Sequence[frozenset[str]]) -> bool:
    """Whether a list ``item`` names one of the things a question sets aside (``aside``, the tokens of each):
    half of its tokens or more."""
    tokens = set(tokenize(item))
    return any(thing and len(tokens & thing) * 2 >= len(thing) for thing in aside)


def _size(item: str, language: str) -> int:
    return len(re.findall(r"[\w'’-]+", item)) if language == "en" else len(re.findall(r"\w", item))


# What a source says it does not know ("it is not clear whether or when its apps will be allowed to return",
# "did not specify when the minister issued them", "尚不清楚何时恢复"): the question-word says what is
# unknown, the words after it of what. A question asking that very thing is not answered by the sentence.
_UNKNOWN_STATED = {
    "en": re.compile(
        r"\b(?:(?:is|was|remains|it's) (?:not clear|unclear)|did not (?:specify|say|disclose|reveal)|"
        r"(?:has|have) not (?:said|specified|disclosed|revealed))\s+"
        r"(?P<what>(?:(?:whether|when|if|how|who|why|which)(?:\s+or\s+)?)+)\s*(?P<about>[^.;]*)",
        re.I,
    ),
    "zh": re.compile(
        r"(?:尚不清楚|尚不明确|并未说明|没有说明|未具体说明|未透露|不得而知)(?P<about>[^。；]*)"
    ),
}
# The question-words a source's "not clear ..." uses, in English or, asked of in Chinese, inside what follows.
_UNKNOWN_WORDS = {
    "when": re.compile(r"\bwhen\b|何时|什么时候|啥时候|哪天|哪一天|几时", re.I),
    "whether": re.compile(r"\b(?:whether|if)\b|是否|能否|会否|有没有|是不是", re.I),
    "who": re.compile(r"\bwho\b|谁", re.I),
}
# What a question asks, in those terms: when (a date or deadline, or "when"), whether (a yes-or-no question),
# who (a person).
_ASKS_WHEN = re.compile(r"\bwhen\b|\bhow soon\b|什么时候|何时|啥时候|哪天|哪一天|几号|几月", re.I)
_ASKS_WHETHER = {
    "en": re.compile(
        r"^(?:\W*(?:so|and|but|ok|also|quick q|hey)\W+)*"
        r"(?:is|are|was|were|has|have|had|did|does|do|will|would|can|could|should)\b|"
        r"\bwhether\b|\b(?:any|is there) (?:word|news|update) on whether\b",
        re.I,
    ),
    "zh": re.compile(r"吗\W*$|是否|有没有|了没|能不能|会不会|是不是"),
}


# A question asking whether it is known ("is it known when ...?", "did the ministry say when ...?", "or is that
# still up in the air?", "有没有说什么时候"): the source's "it is not clear" is its answer.
_ASKS_IF_KNOWN = re.compile(
    r"\b(?:is it|is that|was it|it is) (?:known|clear)\b|\bdo (?:we|they) know\b|"
    r"\b(?:did|does|has|have)\b(?: [\w'’-]+){0,4} (?:say|said|specify|specified|disclose|disclosed|reveal|revealed|"
    r"give|given|mention|mentioned)\b|\bup in the air\b|\b(?:un|still )(?:clear|certain|decided)\b|"
    r"清楚|明确|有没有说|说没说|有没有提|透露|公布了?没|(?:还不|是否|确不)确定|确定了没|悬而未决|没定",
    re.I,
)


def asked_unknowns(question: str, kind: str | None, language: str) -> frozenset[str]:
    """What ``question`` asks in the words a source uses to say it does not know: "when" (a date or a
    deadline), "whether" (yes or no), "who" (a person); none when it asks whether that is known."""
    if _ASKS_IF_KNOWN.search(question):
        return frozenset()
    asked = set()
    if kind in ("date", "deadline") or _ASKS_WHEN.search(question):
        asked.add("when")
    if (pattern := _ASKS_WHETHER.get(language)) is not None and pattern.search(question):
        asked.add("whether")
    if kind in PERSON_KINDS:
        asked.add("who")
    return frozenset(asked)


# Which one of several is asked by its order ("his first master's degree", "第一个硕士", "the second fine"): a
# sentence that states another of them by its order ("His second master's degree is an MBA ...") and not the one
# asked is about the other. Orders of a law's parts (第一条, 第二款, "the first paragraph") name a place, not one
# of several things asked about.
_ORDINALS = {1: ("first", "一"), 2: ("second", "二"), 3: ("third", "三"), 4: ("fourth", "四")}
_ORDERED = r"个|位|家|次|笔|份|轮|批"  # what is counted in order; not 条, 款, 项 or 章, a law's parts
_ORDINAL_PATTERNS = {
    n: re.compile(rf"\b{english}\b|第{chinese}(?:{_ORDERED})" + (r"|头一(?:个|次|笔)" if n == 1 else ""), re.I)
    for n, (english, chinese) in _ORDINALS.items()
}
# "for the first time", "first of all", "at first": no order among things asked about.
_NO_ORDER = re.compile(r"\b(?:for the first time|first of all|at first|first-ever|first half|second half)\b", re.I)


def ordinals(text: str) -> frozenset[int]:
    """The orders of things ``text`` names by their order: ``ordinals("His second master's degree")`` is {2}."""
    text = _NO_ORDER.sub(" ", text)
    return frozenset(n for n, pattern in _ORDINAL_PATTERNS.items() if pattern.search(text))


def unknown_stated(text: str) -> list[tuple[frozenset[str], str]]:
    """What ``text`` says is not known, each as the question-words it is asked with and the words about it:
    "it is not clear whether or when its apps will return" -> [({"whether", "when"}, "its apps will return")]."""
    found = []
    for pattern in _UNKNOWN_STATED.values():
        for match in pattern.finditer(text):
            what = match.groupdict().get("what") or match.group("about")
            words = frozenset(word for word, asked in _UNKNOWN_WORDS.items() if asked.search(what))
            if words:
                found.append((words, match.group("about")))
    return found


# A count or a frequency left to what is reasonable ("请求转移个人信息次数等明显超出合理范围的", "unreasonably
# frequent requests") is fixed by no figure either.
_BEYOND_REASON = (r"(?:次数|频次|频率|数量)[^，。；]{0,8}?(?:超出|超过|超越)合理(?:范围|限度)|"
                  r"\b(?:unreasonabl[ey]|excessive(?:ly)?) (?:frequent|often|numbers?|repetitive)\b")
# How a text states a quantity it leaves open: a period, a frequency or a number it does not fix ("在一定期限内",
# "定期开展", "及时告知", "达到国家网信部门规定数量", "promptly", "within a certain period"). Asked for that quantity,
# a passage saying only this answers that none is fixed.
_LEFT_OPEN = {
    "duration": r"一定期限|最短时间|合理期限|及时|立即|尽快|\bwithin a (?:certain|reasonable) (?:period|time)\b|"
                r"\bpromptly\b|\bin a timely (?:manner|fashion)\b|\bwithout (?:undue )?delay\b|"
                r"\bas soon as possible\b|\bno longer than (?:is )?necessary\b",
    "frequency": rf"定期|\b(?:regularly|periodically|from time to time)\b|{_BEYOND_REASON}",
    "number": rf"规定的?数量|一定的?(?:数量|规模)|\ba (?:certain|specified|prescribed) (?:number|volume|quantity)\b|"
              rf"{_BEYOND_REASON}",
}
_LEFT_OPEN["deadline"] = _LEFT_OPEN["duration"]
_LEFT_OPEN_PATTERNS = {kind: re.compile(pattern, re.I) for kind, pattern in _LEFT_OPEN.items()}


def leaves_open(text: str, kind: str | None) -> bool:
    """Whether ``text`` states a quantity of ``kind`` only as one it leaves open: ``leaves_open("并可以决定禁止其在
    一定期限内担任……", "duration")`` is True."""
    pattern = _LEFT_OPEN_PATTERNS.get(kind or "")
    return bool(pattern and pattern.search(text))


# A bound asked for ("at most", "最长可以保存几年") and the bounds a text states ("至少保存三年" a lower one,
# "五千万元以下", "24小时内", "up to" an upper one). Asked for one, a text stating only the other does not state
# what is asked: the law's minimum retention is not how long data may be kept at most.
_ZH_QUANTITY_END = r"[\d零〇一二两三四五六七八九十百千万亿元年月日天时周人家个条项次倍]"
_BOUND_ASKED = {
    "upper": r"\bat (?:the )?most\b|\bmax(?:imum)?\b|\blongest\b|\bupper (?:limit|bound)\b|\bno more than\b|"
             r"\bceiling\b|\bat the latest\b|最多|最长|最高(?!人民)|最晚|最迟|上限|封顶|不(?:能|得|可以?)?超过",
    "lower": r"\bat least\b|\bminimum\b|\bshortest\b|\blower (?:limit|bound)\b|\bno (?:less|fewer) than\b|"
             r"\bfloor\b|最少|至少|最低|最短|下限|不(?:能|得|可以?)?(?:少于|低于)",
}
_BOUND_STATED = {
    "upper": rf"\bup to\b|\bat most\b|\bno more than\b|\bnot (?:more than|exceeding)\b|\bmaximum\b|\bwithin\b|"
             rf"\bless than\b|\bor less\b|(?<={_ZH_QUANTITY_END})(?:以下|以内|内)|不(?:得)?超过|最多|最高|最长",
    "lower": rf"\bat least\b|\bno (?:less|fewer) than\b|\bnot (?:less|fewer) than\b|\bminimum\b|\bor more\b|"
             rf"\bmore than\b|(?<={_ZH_QUANTITY_END})以上|至少|不(?:得)?(?:少于|低于)|最少|最低|最短",
}
_BOUND_ASKED_PATTERNS = {bound: re.compile(p, re.I) for bound, p in _BOUND_ASKED.items()}
_BOUND_STATED_PATTERNS = {bound: re.compile(p, re.I) for bound, p in _BOUND_STATED.items()}
_OTHER_BOUND = {"upper": "lower", "lower": "upper"}
# The kinds of fact a bound is asked of.
BOUNDED_KINDS = ("amount", "duration", "deadline", "number", "percent")


def asked_bound(question: str) -> str | None:
    """"upper" or "lower" when ``question`` asks for one bound of a quantity ("最多可以保存几年？", "What is
    the minimum retention period?"), else None."""
    asked = [bound for bound, pattern in _BOUND_ASKED_PATTERNS.items() if pattern.search(question)]
    return asked[0] if len(asked) == 1 else None


def fits_bound(text: str, bound: str | None) -> bool:
    """False when ``text`` states only the bound other than ``bound``: ``fits_bound("应当至少保存三年", "upper")``."""
    if bound is None:
        return True
    stated = {b for b, pattern in _BOUND_STATED_PATTERNS.items() if pattern.search(text)}
    return bound in stated or _OTHER_BOUND[bound] not in stated


# What a requirement may ask of a person in a role: a nationality, an education, a certificate, years of
# experience. Asked of one ("个人信息保护负责人必须由中国籍员工担任吗？", "How many years of experience must the
# officer have?"), a passage that never mentions it ("应当指定个人信息保护负责人") does not answer: it sets
# none. Each is asked in the first words and stated in the second, in either language.
_PERSONAL_REQUIREMENTS = {
    "nationality": (
        r"国籍|必须是中国公民|\bnationality\b|\bcitizenship\b|\bbe (?:a )?chinese (?:national|citizen)s?\b",
        r"国籍|公民|\bnationality\b|\bcitizens?",
    ),
    "education": (
        r"学历|学位|毕业于|\b(?:university |college )?degree\b|\beducation(?:al)? (?:background|requirements?)\b",
        r"学历|学位|毕业|\bdegrees?\b|\beducat",
    ),
    "certificate": (r"资格证书|什么证|持证|\bcertificates?\b", r"证书|持证|\bcertificates?\b"),
    "experience": (
        r"工作经验|从业经验|从业年限|工作年限|资历|(?:干|做|工作)过(?:几|多少)年|\byears? of (?:\w+ )?experience\b|"
        r"\bexperience (?:requirement|does|must)|\bseniority\b|\bhow many years (?:\w+ ){0,5}(?:worked|working)\b",
        r"经验|经历|从业|资历|\bexperience|\bseniority\b",
    ),
}
_REQUIREMENT_ASKED = {name: re.compile(asked, re.I) for name, (asked, _) in _PERSONAL_REQUIREMENTS.items()}
_REQUIREMENT_STATED = {name: re.compile(stated, re.I) for name, (_, stated) in _PERSONAL_REQUIREMENTS.items()}


# Only a question about what is required asks for a requirement: "What nationality was Lavoisier?" asks who he
# was, and a demonym ("French") answers it.
_REQUIRED = re.compile(
    r"\b(?:must|required?|requirements?|have to|has to|needs? to|need|mandatory|obliged|compulsory)\b|"
    # ... however said: "得有几年经验", "要有什么学历".
    r"必须|要求|需要|应当|应该|硬性|至少|规定|得(?:有|要|是)|要有",
    re.I,
)


def asked_requirements(question: str) -> frozenset[str]:
    """What ``question`` asks a person in a role must have ("nationality", "education", "certificate",
    "experience"): "个保法对个人信息保护负责人有什么学历要求？" -> {"education"}; none unless it asks what is
    required."""
    if not _REQUIRED.search(question):
        return frozenset()
    return frozenset(name for name, pattern in _REQUIREMENT_ASKED.items() if pattern.search(question))


def states_requirement(text: str, requirements: frozenset[str]) -> bool:
    """Whether ``text`` mentions one of ``requirements`` ("应当具备…相关管理工作经历" mentions experience)."""
    return any(_REQUIREMENT_STATED[name].search(text) for name in requirements)


# A day counted from the asker's own ("what's the weather tomorrow?", "某公司今天股价多少？", "this weekend"): what
# happens then is after every report was written. Not "now" or "currently" ("who heads the bureau now?"), which
# asks for the latest a report tells; nor a day a report itself may count from ("yesterday", "this week", 昨天),
# which a reader may repeat; nor 今日, which names an app (今日头条).
_ASKER_DAY = {
    "en": re.compile(r"\b(?:today|tonight|tomorrow|this weekend)(?:'s|’s)?\b", re.I),
    "zh": re.compile(r"今天|今晚|明天|后天|(?:这个?|本)周末"),
}


# Words that ask about a report's author or editor (where they studied, how long they worked where): only such a
# question is answered from the sign-off and bio that end a report (`index.documents.signed_off_at`).
_ABOUT_AUTHOR = {
    "en": re.compile(r"\b(?:author|writer|reporter|journalist|editor|columnist|correspondent)s?\b|\bbylines?\b|"
                     r"\bbio(?:s|graphy|graphies)?\b", re.I),
    # An author is a report's when the question starts a clause with one or points at the report or the person
    # ("作者在哪读的书", "那篇的作者", "这位作者"), not writers at large qualifying what else is asked ("国内作者的小说").
    "zh": re.compile(r"(?:^|[^\u4e00-\u9fff]|篇|文章?|报道|稿子?|稿件|新闻|帖子?|[这那该此](?:位|个|名)?)的?\s*作者|"
                     r"编辑|记者|撰稿|笔者|署名|简介"),
}


def asks_about_author(question: str, language: str) -> bool:
    """Whether ``question`` asks about a report's author or editor: "where did the author study?",
    "编辑在那家报社干了几年？"."""
    pattern = _ABOUT_AUTHOR.get(language)
    return bool(pattern is not None and pattern.search(question))


def asks_of_asker_day(question: str, language: str) -> bool:
    """Whether ``question`` asks about a day counted from the asker's ("明天天气怎么样", "Acme's share price
    today"): no report written before it tells of it, though a law still applies on it ("we found a breach
    today: how many hours do we have?")."""
    pattern = _ASKER_DAY.get(language)
    return bool(pattern is not None and pattern.search(question))


def asks_exact(question: str) -> bool:
    """Whether ``question`` asks for an exact figure ("exactly how many ...?", "具体裁了多少人？")."""
    return bool(_EXACT_ASKED.search(question))


def states(
    text: str, kind: str | None, unit: str | None = None, given: frozenset[int] = frozenset(), *, exact: bool = False
) -> bool:
    """Whether ``text`` states a fact of ``kind`` (always true for None: the question asks for no kind), in
    ``unit`` when the question asks in one (see `asked_unit`). A count among the numbers the question ``given``
    does not answer it ("how many of the 12 firms ...?"), nor a rough figure one asked ``exact``."""
    if kind is None:
        return True
    if exact and kind in _ROUGH_KINDS:
        text = _ROUGH.sub(" ", text)
    if kind == "number":
        without = _EXTRACT_PATTERNS["amount"].sub(" ", text)
        without = _REFERENCE_PATTERN.sub(" ", _STATE_PATTERNS["date"].sub(" ", without))
        if unit is None:
            without = _NOT_COUNTING_PATTERN.sub(" ", without)
        if given:
            without = _VALUE.sub(lambda m: " " if _value(m.group()) in given else m.group(), without)
        if unit is None:
            return bool(_COUNTING_PATTERN.search(without))
        return bool(_COUNT_STATED[unit].search(without) or _COUNT_STATED_BEFORE[unit].search(without))
    if kind == "amount" and unit is not None:
        return bool(_STATE_PATTERNS[kind].search(text) and _AMOUNT_STATED[unit].search(text))
    if kind in PERSON_KINDS and unit is not None:
        return bool(_STATE_PATTERNS[kind].search(text) and _ROLE_STATED[unit].search(text))
    if kind == "title" and unit is not None:
        return any(_DOCUMENT_TYPE_STATED[unit].search(m.group()) for m in _STATE_PATTERNS[kind].finditer(text))
    if unit is not None:
        return bool((_GRAIN_STATED if kind == "date" else _UNIT_STATED)[unit].search(text))
    if kind == "deadline":
        return bool(_STATE_PATTERNS["duration"].search(text) or (
            _STATE_PATTERNS["date"].search(text) and (_DEADLINE_MARK.search(text) or TAKES_EFFECT.search(text))
        ))
    return bool(_STATE_PATTERNS[kind].search(text))


def stated(text: str, kind: str | None, unit: str | None = None, given: frozenset[int] = frozenset()) -> list[str]:
    """The facts of ``kind`` that ``text`` states, in order (``["$1.2 billion"]``); [] for None. A count only of
    what the question counts (``unit``, see `asked_unit`), less the numbers the question ``given``:
    ``stated("Acme summoned 12 tech firms on Monday.", "number", "organisations") == ["12 tech firms"]``."""
    if kind == "number":
        return _counts(text, unit, given) if unit in _COUNTED else []
    if kind is None or kind == "title":  # a title is quoted whole, not led with
        return []
    return [m.group().strip(" ,") for m in _EXTRACT_PATTERNS[kind].finditer(text)]


# What bounds a count is part of it: "1000万人以上" is a threshold, "1000万人" a headcount.
_BOUND_BEFORE = re.compile(r"(?:\b(?:more|fewer|less) than|\bover|\bat (?:least|most)|\bup to|\bunder|\bnearly|"
                           r"\babout|\baround|超过|不少于|不足|不到|近|约)\s?$", re.I)
_BOUND_AFTER = re.compile(r"^\s?(?:以上|以下|以内|左右|or (?:more|fewer|less))")


def _qualified(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` widened to the words that bound the count it holds."""
    start, end = span
    before, after = _BOUND_BEFORE.search(text[:start]), _BOUND_AFTER.search(text[end:])
    return (before.start() if before else start), (end + after.end() if after else end)


def _counts(text: str, unit: str, given: frozenset[int]) -> list[str]:
    """The counts of ``unit`` in ``text``, each as written: the count and what it counts, in either order, one
    span where both forms match ("不满十四周岁": 不满十四, 十四周岁). Amounts, dates and article numbers count
    nothing; they are blanked, not removed, so that spans stay those of ``text``."""
    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group())

    masked = _EXTRACT_PATTERNS["amount"].sub(blank, text)
    masked = _REFERENCE_PATTERN.sub(blank, _STATE_PATTERNS["date"].sub(blank, masked))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(m.span() for pattern in (_COUNT_STATED[unit], _COUNT_STATED_BEFORE[unit])
                             for m in pattern.finditer(masked)):
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    counts = [text[start:end].strip(" ,") for start, end in (_qualified(text, span) for span in spans)]
    return [c for c in counts if not any(_value(v.group()) in given for v in _VALUE.finditer(c))]


def about_document(text: str) -> bool:
    """Whether ``text`` states a fact about its document (`DOCUMENT_KINDS`: "Published by ..."), not about what
    the document reports."""
    return any(_STATE_PATTERNS[kind].search(text) for kind in DOCUMENT_KINDS)
