"""A question's key terms (anchors, predicates, nouns) and how well a text contains each of them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from rag.lang import wordlists
from rag.lang.korean import CASE_PARTICLES, strip_ending, strip_particle
from rag.lang.questions import without_language_request
from rag.lang.script import HANGUL, HANGUL_RANGE
from rag.lang.tokens import EN_STOPWORDS, KO_STOPWORDS, WORD, en_stem, join_acronyms, number_forms

_WH_EN = re.compile(
    r"\b(?:which|what|how\s+(?:many|much))\s+([A-Za-z][A-Za-z'’-]*)(?:\s+([A-Za-z][A-Za-z'’-]*))?",
    re.IGNORECASE,
)


_WH_KO = re.compile(rf"(?:어느|어떤|무슨|몇)\s*([{HANGUL_RANGE}]+)")


# Category words name the *type* of an answer ("which agency", "어느 나라"), so the passages need not
# contain them; any other noun after "which/what/어느/어떤" names the thing asked for and must appear.
_GENERIC_TYPES = wordlists.word_set("answer_type_words")


# A pseudo-term: "how many ...?" / "몇 ...?" is answered only by a sentence that states a number.
QUANTITY = "#quantity"


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
    if HANGUL.match(word):
        stem = strip_particle(word)
        return None if stem in _GENERIC_TYPES or stem in KO_STOPWORDS or len(stem) < 2 else stem
    words = [w.lower() for w in m.groups() if w]
    if len(words) > 1 and (words[1] in EN_STOPWORDS or en_stem(words[1]) in EN_STOPWORDS):
        words = words[:1]
    if any(w in _GENERIC_TYPES or en_stem(w) in _GENERIC_TYPES for w in words):
        return None  # "which news agency": the head noun is a category
    stem = en_stem(words[0])
    return None if stem in EN_STOPWORDS or len(stem) < 3 else stem


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
    text = without_language_request(join_acronyms(unicodedata.normalize("NFKC", question)))
    for idx, m in enumerate(WORD.finditer(text)):
        raw = m.group(0)
        w = raw.lower()
        if HANGUL.match(w):
            if w in KO_STOPWORDS:
                continue
            verb_stem = strip_ending(w)
            predicate = verb_stem != w
            stem = verb_stem if predicate else strip_particle(w)
            if stem in KO_STOPWORDS or len(stem) < 2:
                continue
            noun = not predicate and stem != w and w[len(stem) :] in CASE_PARTICLES
            seen.setdefault(stem, KeyTerm(stem, predicate=predicate, noun=noun))
        elif w[0].isdigit():
            for f in number_forms(w):
                seen.setdefault(f, KeyTerm(f, anchor=True))
        else:
            stem = en_stem(w)
            if stem and stem not in EN_STOPWORDS and w not in EN_STOPWORDS and len(stem) > 1:
                capital = raw[0].isupper() and (idx > 0 or raw.isupper())
                name = _POSSESSIVE.sub("", raw) if capital else ""
                seen.setdefault(stem, KeyTerm(stem, anchor=capital, name=name))
    return tuple(seen.values())


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
    if HANGUL.match(term):
        grams = [term[i : i + 2] for i in range(len(term) - 1)]
        if not grams:
            return 0.0
        hit = sum(1 for g in grams if g in text_bigrams) / len(grams)
        return hit if hit >= 0.5 else 0.0
    return 0.0


def term_weights(
    terms: Iterable[KeyTerm],
    idf: Callable[[str], float],
    *,
    anchor: float = 1.0,
    predicate: float = 1.0,
    quantity: float | None = None,
) -> dict[str, float]:
    """How much each key term counts: its idf (the index's, passed in: rag.lang sits below the
    index), times `anchor` for names/numbers and `predicate` for Korean verb forms; `quantity`, when
    given, weighs the QUANTITY pseudo-term of a "how many" question. The one home of term weighting
    for the evidence check, the sentence ranker and the LLM-answer verifier."""
    out: dict[str, float] = {}
    for k in terms:
        w = idf(k.term)
        if k.anchor:
            w *= anchor
        if k.predicate:
            w *= predicate
        out[k.term] = w
    if quantity is not None:
        out[QUANTITY] = quantity
    return out
