"""A question the corpus answers only in another language is also searched in that language.

Why: offline, a Korean question whose answer exists only in English text shares no words with it, and
e5 ranks same-language paragraphs first (measured on the shipped set: such answers rank 9th-16th and
4 of 8 such questions are refused). With an LLM configured, one short call translates the question and
a second retrieval in the target language brings those passages in. It runs only when the words of the
first retrieval do not cover the question (rag.answer.evidence), so a question answered in its own
language costs no extra call, and the translation is shown to the user and given to the model.

Offline (no LLM), a question gets the same second search in the other language from a dictionary and
transliterated names (`widen_offline`, rag.lang.lexicon), Korean -> English and English -> Korean: measured
on the shipped set, it finds the passage for Korean questions whose answer exists only in English that
the first search ranked too low.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from rag.core.errors import UserError
from rag.core.records import Passage
from rag.lang import lexicon
from rag.lang.script import is_hangul
from rag.lang.terms import classify_terms
from rag.lang.transliteration import hangul_key, latin_key
from rag.llm.prompt import language_name, translate_messages
from rag.retrieval.followups import clean_llm_question
from rag.retrieval.hybrid import HybridRetriever, Retrieval
from rag.retrieval.policy import load_retrieval_policy

if TYPE_CHECKING:
    from rag.llm.client import ChatClient

NOTE = {
    "en": "Also searched the {language} text as: {text}",
    "ko": "{language} 문서에서도 다음 질문으로 찾았습니다: {text}",
}


# Does the first retrieval answer the question in the question's own language? The answer stage
# decides (rag.answer); retrieval takes its verdict as a callable so it imports nothing above itself.
AnsweredInOwnLanguage = Callable[[Retrieval], bool]


def needs_translation(retrieval: Retrieval, answered: AnsweredInOwnLanguage, corpus_langs: list[str]) -> bool:
    """The corpus holds another language, and the passages in the question's own language do not answer
    it by the answer stage's verdict (which would refuse, or answer cross-lingually)."""
    if not any(lang != retrieval.lang for lang in corpus_langs):
        return False
    return not answered(retrieval)


def translate(
    client: ChatClient, question: str, target_lang: str, limit: int, max_tokens: int | None = None
) -> str | None:
    """The model's translation, cleaned to one line; None when it fails or returns nothing usable
    (the answer then goes ahead on the first retrieval alone). `max_tokens` defaults to
    RetrievalPolicy.translate_tokens."""
    if max_tokens is None:
        max_tokens = load_retrieval_policy().translate_tokens
    try:
        reply = client.complete(translate_messages(question, target_lang), max_tokens=max_tokens)
    except UserError:
        return None
    line = clean_llm_question(reply, limit)
    return None if line is None or line == question else line


def widen(
    retrieval: Retrieval,
    retriever: HybridRetriever,
    client: ChatClient,
    answered: AnsweredInOwnLanguage,
    k: int,
    limit: int,
) -> Retrieval:
    """The first retrieval, with passages found by the question translated into each other corpus
    language merged in (the original's best first, RetrievalPolicy.keep_original of them always kept),
    when the first one does not answer it."""
    if not needs_translation(retrieval, answered, retriever.langs):
        return retrieval
    policy = retriever.policy
    passages = list(retrieval.passages)
    translations: list[tuple[str, str]] = []
    llm_ms = 0.0
    for lang in retriever.langs:
        if lang == retrieval.lang:
            continue
        t0 = time.perf_counter()
        text = translate(client, retrieval.question, lang, limit, policy.translate_tokens)
        llm_ms += (time.perf_counter() - t0) * 1000
        if text is None:
            continue
        translations.append((lang, text))
        found = retriever.retrieve(text, k).passages
        have = {p.chunk.id for p in passages}
        new = [p for p in found if p.chunk.id not in have]
        kept = passages[: max(policy.keep_original, k - len(new))]
        passages = kept + new[: max(k - len(kept), 0)]
    timings = {**retrieval.timings_ms, "llm_translate": llm_ms}
    if not translations:
        return replace(retrieval, timings_ms=timings)
    return replace(retrieval, passages=passages, translations=translations, timings_ms=timings)


def note(lang: str, translations: list[tuple[str, str]]) -> str:
    template = NOTE.get(lang, NOTE["en"])
    return " ".join(template.format(language=language_name(code), text=text) for code, text in translations)


def widen_offline(
    retrieval: Retrieval, retriever: HybridRetriever, answered: AnsweredInOwnLanguage, k: int
) -> Retrieval:
    """A question its own language's passages do not answer: search the other language's text
    (Korean <-> English) with the question's terms rendered by the dictionary and its names spelled
    as the corpus spells them, and add the best untranslated passages found there (up to
    RetrievalPolicy.offline_extra more than k; the first search's passages all stay)."""
    target = {"ko": "en", "en": "ko"}.get(retrieval.lang)
    if target is None or target not in retriever.langs:
        return retrieval
    if not needs_translation(retrieval, answered, retriever.langs):
        return retrieval  # answered in its own language: the dictionary is not even loaded
    lex = lexicon.load()
    if lex is None:
        return retrieval
    policy = retriever.policy
    t0 = time.perf_counter()
    terms = classify_terms(retrieval.question)
    renderings = policy.dictionary_renderings
    if target == "en":
        query = english_query([k.term for k in terms], lex, retriever.name_vocabulary, renderings)
    else:
        query = korean_query([k.name or k.term for k in terms], lex, retriever.hangul_vocabulary, renderings)
    have = {p.chunk.id for p in retrieval.passages}
    found = (
        [
            c
            for c, _ in retriever.lexical.search(query, k * policy.offline_search_depth)
            if c.lang == target and c.id not in have and not c.twin
        ]
        if query
        else []
    )
    extra = [
        Passage(c, 0.0, None, {"dictionary": i + 1}) for i, c in enumerate(found[: policy.offline_extra])
    ]
    timings = {**retrieval.timings_ms, "dictionary": (time.perf_counter() - t0) * 1000}
    return replace(retrieval, passages=[*retrieval.passages, *extra], timings_ms=timings)


def korean_query(
    terms: list[str], lex: lexicon.Lexicon, vocabulary: Mapping[str, list[str]], renderings: int | None = None
) -> str:
    """Korean search words for an English question's key terms (a name as written: "Siemens"): the
    first `renderings` dictionary renderings of each (RetrievalPolicy.dictionary_renderings), and the
    corpus's Hangul words a name spells (`vocabulary`: consonant skeleton -> corpus words, see
    rag.lang.transliteration). Digits are kept as they are."""
    if renderings is None:
        renderings = load_retrieval_policy().dictionary_renderings
    words: list[str] = []
    for term in terms:
        if term[:1].isdigit():
            words.append(term)
            continue
        words.extend(lex.korean(term)[:renderings])
        words.extend(vocabulary.get(latin_key(term), [])[: lexicon.MAX_SPELLINGS])
    return " ".join(dict.fromkeys(words))


def english_query(
    terms: list[str], lex: lexicon.Lexicon, vocabulary: Mapping[str, list[str]], renderings: int | None = None
) -> str:
    """English search words for Korean key terms: the first `renderings` dictionary renderings of each
    (RetrievalPolicy.dictionary_renderings), and the corpus words a Hangul name spells (`vocabulary`:
    consonant skeleton -> corpus words, see rag.lang.transliteration). Terms already in Latin letters or
    digits are kept as they are."""
    if renderings is None:
        renderings = load_retrieval_policy().dictionary_renderings
    words: list[str] = []
    for term in terms:
        if not is_hangul(term):
            words.append(term)
            continue
        for rendering in lex.english(term)[:renderings]:
            words.extend(sorted(rendering))
        words.extend(vocabulary.get(hangul_key(term), []))
    return " ".join(dict.fromkeys(words))
