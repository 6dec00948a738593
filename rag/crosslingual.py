"""A question the corpus answers only in another language is also searched in that language.

Why: offline, a Korean question whose answer exists only in English text shares no words with it, and
e5 ranks same-language paragraphs first (measured on the shipped set: such answers rank 9th-16th and
4 of 8 such questions are refused). With an LLM configured, one short call translates the question and
a second retrieval in the target language brings those passages in. It runs only when the words of the
first retrieval do not cover the question (rag.answer.evidence), so a question answered in its own
language costs no extra call, and the translation is shown to the user and given to the model.

Offline (no LLM), a question gets the same second search in the other language from a dictionary and
transliterated names (`widen_offline`, rag.lexicon), Korean -> English and English -> Korean: measured
on the shipped set, it finds the passage for Korean questions whose answer exists only in English that
the first search ranked too low.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from rag import lexicon
from rag.answer.extractive import ExtractiveAnswerer
from rag.conversation import clean_llm_question
from rag.errors import UserError
from rag.llm.prompt import language_name, translate_messages
from rag.records import Passage
from rag.retrieve import HybridRetriever, Retrieval
from rag.text import classify_terms

if TYPE_CHECKING:
    from rag.llm.client import ChatClient

TRANSLATE_TOKENS = 160
# Passages of the original retrieval that always stay; the translated search fills the rest of k.
KEEP_ORIGINAL = 2

NOTE = {
    "en": "Also searched the {language} text as: {text}",
    "ko": "{language} 문서에서도 다음 질문으로 찾았습니다: {text}",
}


def needs_translation(retrieval: Retrieval, answerer: ExtractiveAnswerer, corpus_langs: list[str]) -> bool:
    """The corpus holds another language, and the passages in the question's own language do not answer
    it by the offline answerer's evidence rules (which it would refuse, or answer cross-lingually)."""
    if not any(lang != retrieval.lang for lang in corpus_langs):
        return False
    found = answerer.evidence(retrieval)
    return not found.answerable or found.cross_lingual


def translate(client: ChatClient, question: str, target_lang: str, limit: int) -> str | None:
    """The model's translation, cleaned to one line; None when it fails or returns nothing usable
    (the answer then goes ahead on the first retrieval alone)."""
    try:
        reply = client.complete(translate_messages(question, target_lang), max_tokens=TRANSLATE_TOKENS)
    except UserError:
        return None
    line = clean_llm_question(reply, limit)
    return None if line is None or line == question else line


def widen(
    retrieval: Retrieval,
    retriever: HybridRetriever,
    client: ChatClient,
    answerer: ExtractiveAnswerer,
    k: int,
    limit: int,
) -> Retrieval:
    """The first retrieval, with passages found by the question translated into each other corpus
    language merged in (the original's best first), when the first one does not answer it."""
    if not needs_translation(retrieval, answerer, retriever.langs):
        return retrieval
    passages = list(retrieval.passages)
    translations: list[tuple[str, str]] = []
    llm_ms = 0.0
    for lang in retriever.langs:
        if lang == retrieval.lang:
            continue
        t0 = time.perf_counter()
        text = translate(client, retrieval.question, lang, limit)
        llm_ms += (time.perf_counter() - t0) * 1000
        if text is None:
            continue
        translations.append((lang, text))
        found = retriever.retrieve(text, k).passages
        have = {p.chunk.id for p in passages}
        new = [p for p in found if p.chunk.id not in have]
        kept = passages[: max(KEEP_ORIGINAL, k - len(new))]
        passages = kept + new[: max(k - len(kept), 0)]
    timings = {**retrieval.timings_ms, "llm_translate": llm_ms}
    if not translations:
        return replace(retrieval, timings_ms=timings)
    return replace(retrieval, passages=passages, translations=translations, timings_ms=timings)


def note(lang: str, translations: list[tuple[str, str]]) -> str:
    template = NOTE.get(lang, NOTE["en"])
    return " ".join(template.format(language=language_name(code), text=text) for code, text in translations)


OFFLINE_EXTRA = 2  # passages the dictionary search may add to the first search's k


def widen_offline(
    retrieval: Retrieval, retriever: HybridRetriever, answerer: ExtractiveAnswerer, k: int
) -> Retrieval:
    """A question its own language's passages do not answer: search the other language's text
    (Korean <-> English) with the question's terms rendered by the dictionary and its names spelled
    as the corpus spells them, and add the best untranslated passages found there (up to
    OFFLINE_EXTRA more than k; the first search's passages all stay)."""
    target = {"ko": "en", "en": "ko"}.get(retrieval.lang)
    if target is None or target not in retriever.langs:
        return retrieval
    if not needs_translation(retrieval, answerer, retriever.langs):
        return retrieval  # answered in its own language: the dictionary is not even loaded
    lex = lexicon.load()
    if lex is None:
        return retrieval
    t0 = time.perf_counter()
    terms = classify_terms(retrieval.question)
    if target == "en":
        query = lexicon.english_query([k.term for k in terms], lex, retriever.name_vocabulary)
    else:
        query = lexicon.korean_query([k.name or k.term for k in terms], lex, retriever.hangul_vocabulary)
    have = {p.chunk.id for p in retrieval.passages}
    found = (
        [
            c
            for c, _ in retriever.lexical.search(query, k * 2)
            if c.lang == target and c.id not in have and not c.twin
        ]
        if query
        else []
    )
    extra = [Passage(c, 0.0, None, {"dictionary": i + 1}) for i, c in enumerate(found[:OFFLINE_EXTRA])]
    timings = {**retrieval.timings_ms, "dictionary": (time.perf_counter() - t0) * 1000}
    return replace(retrieval, passages=[*retrieval.passages, *extra], timings_ms=timings)
