"""What shape a question has: asks for a number, a language, a byline, several sources; points back."""

from __future__ import annotations

import re

from rag.lang import wordlists
from rag.lang.script import HANGUL, HANGUL_RANGE

_QUANTITY_Q = re.compile(
    rf"\bhow\s+(?:{wordlists.alternation('en_quantity_words')})\b|몇|얼마", re.IGNORECASE
)


def asks_quantity(question: str) -> bool:
    return bool(_QUANTITY_Q.search(question))


_KO_COUNTER = re.compile(rf"몇\s*([{HANGUL_RANGE}])")


def states_quantity(question: str, text: str) -> bool:
    """Does the text state the kind of number asked for? "몇 명" needs a count of people ("3명",
    "1만 명"), not any number ("13일"); elsewhere, and in English text, any number will do."""
    counter = _KO_COUNTER.search(question)
    if counter and HANGUL.search(text):
        return bool(re.search(rf"\d[\d,.]*\s*(?:만|천|백)?\s*{counter.group(1)}", text))
    return bool(re.search(r"\d", text))


# "How is it written in Korean?", "영어로 뭐라고": the question names the language it wants the answer in.
# "in Korean" asks for the language unless a name follows ("in Korean War history").
_WANTS_KO = re.compile(
    r"(?i:\b(?:in|into)\s+korean\b)(?!\s+[A-Z])"
    rf"|(?i:\bkorean\s+(?:{wordlists.alternation('en_language_request_nouns')}))"
)


_WANTS_EN = re.compile(rf"영어로|영문|영어\s*(?:{wordlists.alternation('ko_language_request_nouns')})")


_LANGUAGE_WORD = re.compile(r"korean|영어로|영문|영어", re.IGNORECASE)


def without_language_request(question: str) -> str:
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
    rf"^[\"“'‘(]?(?:{wordlists.alternation('en_back_reference_openers')})\b"
    rf"|^(?:{wordlists.alternation('ko_back_reference_openers')})",
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
