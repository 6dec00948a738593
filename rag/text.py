"""Language detection and Korean-aware tokens, shared by the lexical index, the answerer and refusal.

Why hand-written: llama-index's BM25 retriever tokenises on whitespace/`\\w+` and leaves Korean particles
attached ("서울은" never matches "서울"), and there is no offline Korean morphological analyser among our
dependencies. Hangul character bigrams plus particle-stripped stems recover those matches
(stack-notes: bigrams clearly beat whitespace tokens), at no model cost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[\uac00-\ud7a3]+|[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*")

# Bump when `tokens` changes what it makes of a text: `rag ingest` then rebuilds the BM25 index.
# 2: "으로" comes off a one-syllable noun ("명으로" -> "명").
TOKENS_VERSION = "2"

# Longest first, so "에서는" is tried before "에서" before "에". "이나"/"나" are left out: too many nouns
# end in them ("우크라이나"), and bigrams still match the rare "A나 B" form.
_PARTICLES = sorted(
    """은 는 이 가 을 를 의 에 와 과 도 만 로 으로 에서 에게 에게서 한테 께서 까지 부터 보다 처럼 마다 조차
    이랑 랑 과의 와의 에는 에도 에서는 에서도 으로는 로는 으로서 로서 으로써 로써 이라는 라는 이란 란
    이며 이고 이었다 였다 이다 입니다 인가 인가요 이라고 라고 들 들은 들이 들을 들의""".split(),
    key=len,
    reverse=True,
)
_CASE_PARTICLES = frozenset(
    "은 는 을 를 이 가 의 에 에서 에게 와 과 으로 로 도 만 에는 에서는 까지 부터".split()
)
# Question/predicate endings: "발표했나" keys on "발표", marked as a predicate (paraphrased freely).
_ENDINGS = sorted(
    """했나요 했나 했습니까 했는가 했는지 했다고 했다 하나요 합니까 하는가 인가요 인가 입니까 인지 일까요
    됩니까 되나요 되었나요 됐나요 었나요 았나요 였나요 나요 까요 습니까 니까 는가 는지 던가 였나 었나 았나 요
    리나 렸나 하나 되나 은가 되었나 됐나 했을까 할까 하는""".split(),
    key=len,
    reverse=True,
)

# Question-frame words: they shape the question, not the fact asked for, so no passage need contain them.
EN_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did
    done have has had having what which who whom whose when where why how that this these those it its
    he she they them his her their we our you your i me my about into over under than then there here
    any some all each other such only own same so too very can will would should could may might must
    not no nor up down out off again further once also just according say said says tell told
    according document documents article articles corpus text mention mentioned mentions many much
    describe described call called write wrote written publish published report reported quote quoted
    sidebar teaser headline author reporter credited view kind name named whether both two across
    now currently today yesterday tomorrow recently""".split()
)
KO_STOPWORDS = frozenset(
    """무엇 무엇을 무엇이 무엇인가 뭐 뭐라고 뭘 어떤 어떻게 어디 어디서 어디에서 언제 누구 누가 누구를 왜 몇
    얼마나 얼마 어느 그 이 저 것 수 등 및 또 또는 그리고 관련 대해 대한 대해서 대하여 관하여 관해 관한
    기사 문서 개 개의 명 며칠 이유 내용 각각 말했나 말했나요 말했습니까 했나 했나요 있나 있나요 있습니까 무슨
    했는가 밝혔나 밝혔나요 누구인가 무엇인가
    게재 발행 발간 작성 보도 인용
    올해 이번 이번에 지금 현재 오늘 어제 내일 최근 요즘 당시""".split()
)


_WH_EN = re.compile(
    r"\b(?:which|what|how\s+(?:many|much))\s+([A-Za-z][A-Za-z'’-]*)(?:\s+([A-Za-z][A-Za-z'’-]*))?",
    re.IGNORECASE,
)
_WH_KO = re.compile(r"(?:어느|어떤|무슨|몇)\s*([\uac00-\ud7a3]+)")
# Category words name the *type* of an answer ("which agency", "어느 나라"), so the passages need not
# contain them; any other noun after "which/what/어느/어떤" names the thing asked for and must appear.
_GENERIC_TYPES = frozenset(
    """agency organization organisation group country nation city place region area day date year month
    week time person people official officials leader name word words event issue topic thing things way
    kind type sort part number amount reason step role position title language
    나라 국가 사람 날 날짜 해 연도 달 시간 때 곳 장소 지역 기관 단체 이름 말 단어 일 행사 문제 주제 것 방법 종류 이유
    개 명 년 번 주년 차 가지 년차""".split()
)


# A pseudo-term: "how many ...?" / "몇 ...?" is answered only by a sentence that states a number.
QUANTITY = "#quantity"
_QUANTITY_Q = re.compile(r"\bhow\s+(?:many|much|long|old|often|far)\b|몇|얼마", re.IGNORECASE)


def asks_quantity(question: str) -> bool:
    return bool(_QUANTITY_Q.search(question))


_KO_COUNTER = re.compile(r"몇\s*([\uac00-\ud7a3])")


def states_quantity(question: str, text: str) -> bool:
    """Does the text state the kind of number asked for? "몇 명" needs a count of people ("3명",
    "1만 명"), not any number ("13일"); elsewhere, and in English text, any number will do."""
    counter = _KO_COUNTER.search(question)
    if counter and _HANGUL.search(text):
        return bool(re.search(rf"\d[\d,.]*\s*(?:만|천|백)?\s*{counter.group(1)}", text))
    return bool(re.search(r"\d", text))


def is_category(term: str) -> bool:
    """A word naming the kind of answer wanted ("나라", "agency"): the answer need not repeat it."""
    return term in _GENERIC_TYPES


def answer_type(question: str) -> str | None:
    """The noun a wh-question asks for ("From which port..." -> "port"), unless it is a generic category."""
    m = _WH_EN.search(question) or _WH_KO.search(question)
    if not m:
        return None
    if m.group(1).lower() in EN_STOPWORDS:
        return None  # "what does ...": no noun named
    word = m.group(1)
    if _HANGUL.match(word):
        stem = strip_particle(word)
        return None if stem in _GENERIC_TYPES or stem in KO_STOPWORDS or len(stem) < 2 else stem
    words = [w.lower() for w in m.groups() if w]
    if len(words) > 1 and (words[1] in EN_STOPWORDS or _en_stem(words[1]) in EN_STOPWORDS):
        words = words[:1]
    if any(w in _GENERIC_TYPES or _en_stem(w) in _GENERIC_TYPES for w in words):
        return None  # "which news agency": the head noun is a category
    stem = _en_stem(words[0])
    return None if stem in EN_STOPWORDS or len(stem) < 3 else stem


def is_hangul(text: str) -> bool:
    """Does the text start with a Hangul syllable (the test for 'this is a Korean word')."""
    return bool(text) and bool(_HANGUL.match(text))


def detect_lang(text: str) -> str:
    """'ko' when Hangul dominates the letters, else 'en'. Mixed text counts by letters, not words."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul == 0 and latin == 0:
        return "en"
    # A Hangul syllable carries about as much as 2-3 Latin letters; weight so mixed lines judge fairly.
    return "ko" if hangul * 2.5 >= latin else "en"


_DOTTED_ACRONYM = re.compile(r"(?<![A-Za-z])((?:[A-Za-z]\.){2,})")


def _join_acronyms(text: str) -> str:
    """ "U.S." -> "US." so it matches "US" (single letters are not tokens)."""
    return _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", "") + ".", text)


def normalize(text: str) -> str:
    return _join_acronyms(unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=65536)
def strip_particle(word: str) -> str:
    """Drop one trailing particle when at least two syllables remain ("서울은" -> "서울", "우크라이나" kept),
    or any that "으로" opens, which no noun's own syllables do ("명으로" -> "명", not "명으")."""
    for p in _PARTICLES:
        if word.endswith(p) and (len(word) - len(p) >= 2 or (p.startswith("으로") and len(word) > len(p))):
            return word[: -len(p)]
    return word


@lru_cache(maxsize=65536)
def strip_ending(word: str) -> str:
    for e in _ENDINGS:
        if word.endswith(e) and len(word) - len(e) >= 1:
            return word[: -len(e)]
    return word


def _number_forms(tok: str) -> list[str]:
    digits = tok.replace(",", "").rstrip(".")
    return [digits] if digits else []


_NO_STEM = frozenset("news series species always perhaps whereas its this thus".split())


def _en_stem(word: str) -> str:
    """Light plural/possessive folding: enough for 'missiles'~'missile', 'Russia's'~'Russia'."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    if word in _NO_STEM:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Index/query tokens: English stems (stopwords dropped), numbers, Korean stems and Hangul bigrams."""
    out: list[str] = []
    for m in _WORD.finditer(normalize(text)):
        w = m.group(0)
        if _HANGUL.match(w):
            stem = strip_particle(w)
            out.append(stem)
            if len(w) == 1:
                continue
            out.extend(w[i : i + 2] for i in range(len(w) - 1))
        elif w[0].isdigit():
            out.extend(_number_forms(w))
        else:
            stem = _en_stem(w)
            if stem and stem not in EN_STOPWORDS and w not in EN_STOPWORDS and len(stem) > 1:
                out.append(stem)
    return out


@dataclass(frozen=True)
class KeyTerm:
    """A term a supporting passage should contain. Anchors (names, acronyms, numbers) must be there;
    predicates (Korean verb forms) are paraphrased too freely to weigh much."""

    term: str
    anchor: bool = False
    predicate: bool = False
    noun: bool = False  # Korean word seen with an unambiguous case particle ("나이는", "제재를")
    # A capitalised English word as written, possessive off ("Siemens", not the folded "siemen"): how a
    # name is matched to its Hangul spelling (rag.transliteration).
    name: str = ""


_POSSESSIVE = re.compile(r"['’]s$")


def key_terms(question: str) -> list[str]:
    return [k.term for k in classify_terms(question)]


def classify_terms(question: str) -> list[KeyTerm]:
    """Content terms of a question, in order, deduplicated, each marked anchor or predicate."""
    return list(_classified(question))


@lru_cache(maxsize=4096)
def _classified(question: str) -> tuple[KeyTerm, ...]:
    """Memoised: one question is classified by retrieval, the answerer, the evidence check and the
    cross-lingual check in turn (~3.4 times a query, ~0.75 ms of a warm query, profiled)."""
    seen: dict[str, KeyTerm] = {}
    text = _without_language_request(_join_acronyms(unicodedata.normalize("NFKC", question)))
    for idx, m in enumerate(_WORD.finditer(text)):
        raw = m.group(0)
        w = raw.lower()
        if _HANGUL.match(w):
            if w in KO_STOPWORDS:
                continue
            verb_stem = strip_ending(w)
            predicate = verb_stem != w
            stem = verb_stem if predicate else strip_particle(w)
            if stem in KO_STOPWORDS or len(stem) < 2:
                continue
            noun = not predicate and stem != w and w[len(stem) :] in _CASE_PARTICLES
            seen.setdefault(stem, KeyTerm(stem, predicate=predicate, noun=noun))
        elif w[0].isdigit():
            for f in _number_forms(w):
                seen.setdefault(f, KeyTerm(f, anchor=True))
        else:
            stem = _en_stem(w)
            if stem and stem not in EN_STOPWORDS and w not in EN_STOPWORDS and len(stem) > 1:
                capital = raw[0].isupper() and (idx > 0 or raw.isupper())
                name = _POSSESSIVE.sub("", raw) if capital else ""
                seen.setdefault(stem, KeyTerm(stem, anchor=capital, name=name))
    return tuple(seen.values())


@lru_cache(maxsize=65536)
def token_set(text: str) -> frozenset[str]:
    """`tokens` as a set, memoised: the answerer and the citation checks re-read the same passages and
    sentences for every question, and tokenising them was ~60% of the answer stage (profiled)."""
    return frozenset(tokens(text))


@lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """Hangul bigrams of a text with spaces removed: spacing differs freely in Korean ("정상회의 에서")."""
    squashed = re.sub(r"\s+", "", normalize(text))
    return frozenset(squashed[i : i + 2] for i in range(len(squashed) - 1) if _HANGUL.match(squashed[i]))


@lru_cache(maxsize=1 << 18)
def term_in_set(term: str, text_tokens: frozenset[str], text_bigrams: frozenset[str]) -> float:
    """`term_in`, memoised for the answerer's hot loops, which test the same terms against the same
    memoised sentence token sets for every candidate (profiled: ~30% of the answer stage uncached)."""
    return term_in(term, text_tokens, text_bigrams)


def term_in(term: str, text_tokens: AbstractSet[str], text_bigrams: AbstractSet[str]) -> float:
    """How well a key term is present in a text: 1.0 exact token, partial for Korean bigram overlap."""
    if term in text_tokens:
        return 1.0
    if term == QUANTITY:
        return 1.0 if any(t[:1].isdigit() for t in text_tokens) else 0.0
    if term[0].isascii() and term.isalpha() and len(term) >= 3:
        # Inflection without a stemmer: "use"~"used", "korea"~"korean", "ship"~"shipped".
        for tok in text_tokens:
            short, long_ = (term, tok) if len(term) <= len(tok) else (tok, term)
            if len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 3:
                return 0.9
        return 0.0
    if _HANGUL.match(term):
        grams = [term[i : i + 2] for i in range(len(term) - 1)]
        if not grams:
            return 0.0
        hit = sum(1 for g in grams if g in text_bigrams) / len(grams)
        return hit if hit >= 0.5 else 0.0
    return 0.0


# "How is it written in Korean?", "영어로 뭐라고": the question names the language it wants the answer in.
# "in Korean" asks for the language unless a name follows ("in Korean War history").
_WANTS_KO = re.compile(
    r"(?i:\b(?:in|into)\s+korean\b)(?!\s+[A-Z])"
    r"|(?i:\bkorean\s+(?:name|title|headline|translation|version|word|term|text|spelling))"
)
_WANTS_EN = re.compile(r"영어로|영문|영어\s*(?:이름|제목|표현|원문|단어)")


_LANGUAGE_WORD = re.compile(r"korean|영어로|영문|영어", re.IGNORECASE)


def _without_language_request(question: str) -> str:
    """The question with the language it asks the answer in taken out: in "What Korean name does
    the translation use for X?" the word "Korean" names the wanted language, not the topic, and
    matching it against text picked "Korean Peninsula" sentences as evidence (measured)."""
    for pattern in (_WANTS_KO, _WANTS_EN):
        question = pattern.sub(lambda m: _LANGUAGE_WORD.sub(" ", m.group(0)), question)
    return question


def requested_lang(question: str) -> str | None:
    if _WANTS_KO.search(question):
        return "ko"
    if _WANTS_EN.search(question):
        return "en"
    return None


# A sentence that opens by pointing back ("And this is...", "그러면서...") needs the one before it.
_BACK_REFERENCE = re.compile(
    r"^[\"“'‘(]?(?:and|but|this|that|these|those|it|such|so|however|also|yet)\b|^(?:그러면서|이는|이에|그러나|하지만|또한|이것은|이와|그는|그녀는)",
    re.IGNORECASE,
)


def refers_back(sentence: str) -> bool:
    return bool(_BACK_REFERENCE.search(sentence.strip()))


# "Across both articles...", "두 기사에서 각각...": the answer should draw on every document retrieved.
_SEVERAL_SOURCES = re.compile(
    r"\b(?:both|two|each|all|across)\s+(?:the\s+)?(?:articles?|documents?|reports?|stories|sources|pieces)\b"
    r"|\bacross both\b|\bin both\b|\bpublished first\b|\bwhich (?:one|article|report) (?:was|came)\b"
    r"|두\s*기사|두\s*문서|두\s*보도|양쪽|각각",
    re.IGNORECASE,
)


def wants_several_sources(question: str) -> bool:
    return bool(_SEVERAL_SOURCES.search(question))


# Questions about a document's byline or publication date, answered from its header.
_ASKS_AUTHOR = re.compile(
    r"\bwho\s+(?:wrote|authored|reported|filed)\b|\bauthor\s+of\b|\bbyline\b|\bcredited\b|\bwritten\s+by\b"
    r"|누가\s*(?:썼|작성|보도)|작성자|필자|쓴\s*(?:사람|기자)|기자는\s*누구",
    re.IGNORECASE,
)
_ASKS_PUBLISHED = re.compile(
    r"\bwhen\b.*\b(?:published|posted|written|filed|dated)\b|\bpublication\s+date\b|\bdate\s+of\s+(?:the\s+)?(?:article|report)"
    r"|\bpublished\s+(?:first|earlier|later|last)\b"
    r"|언제.*(?:게재|발행|작성|보도|실렸)|게재일|발행일|작성일|먼저\s*(?:게재|발행|보도)",
    re.IGNORECASE,
)


def asks_metadata(question: str) -> str | None:
    """'author' or 'date' when the question asks who wrote / when a document was published."""
    if _ASKS_AUTHOR.search(question):
        return "author"
    if _ASKS_PUBLISHED.search(question):
        return "date"
    return None


def script_share(text: str, lang: str) -> float:
    """Share of the text's letters written in the script of `lang` (Hangul for ko, Latin for en),
    weighted like `detect_lang`; a scraped paragraph can hold both languages side by side."""
    hangul = len(_HANGUL.findall(text)) * 2.5
    latin = len(_LATIN.findall(text))
    total = hangul + latin
    if not total:
        return 0.0
    return (hangul if lang == "ko" else latin) / total
