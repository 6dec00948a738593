"""The offline answerer: pick the sentences that answer the question and cite each one.

Every sentence of the answer is copied verbatim from a retrieved passage, so each claim is supported
by the passage its `[n]` points to by construction, and its exact character span is known.
Sentences are scored by the idf-weighted share of the question's key terms they contain (Korean-aware),
plus the retrieval rank of their passage; when the corpus holds the same paragraph in both languages,
the question's language wins. For a cross-lingual hit (no shared words possible) sentences are
ranked by e5 similarity to the question instead. Every weight and limit is a field of
`rag.answer.policy.AnswerPolicy`.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import replace

import numpy as np

from rag.answer.candidates import (
    Candidate,
    Quote,
    compose,
    is_question,
    one_per_document,
    states_field,
    terms_in,
    with_context,
)
from rag.answer.evidence import Evidence, assess, found_across_languages
from rag.answer.judge import Decision, LearnedJudge
from rag.answer.judged import judge_retrieval, ranked_candidates, related_candidates, unshown_candidates
from rag.answer.policy import AnswerPolicy, resolve
from rag.answer.refusal import absent_from_corpus, refusal_text
from rag.answer.similarity import SentenceSimilarity
from rag.core.records import Answer, Citation, Passage
from rag.embeddings.base import Embedder
from rag.lang.questions import (
    asks_metadata,
    asks_quantity,
    requested_lang,
    states_quantity,
    wants_several_sources,
)
from rag.lang.terms import QUANTITY, classify_terms, key_terms, term_in_set, term_weights
from rag.lang.tokens import bigrams, token_set
from rag.retrieval.hybrid import Retrieval
from rag.retrieval.lexical import LexicalIndex


def _rescale(sim: float, policy: AnswerPolicy) -> float:
    """e5 sentence-to-question similarities on this kind of text live in ~0.78-0.95: map the band from
    `dense_floor` to 0..1."""
    return min(max((sim - policy.dense_floor) / policy.dense_span, 0.0), 1.0)


class ExtractiveAnswerer:
    """Answers from the retrieved passages by quoting their sentences, or refuses.

    Usage: `ExtractiveAnswerer(lexical, embedder).answer(retriever.retrieve(question, k=5))`, where
    `lexical` is the loaded `LexicalIndex` and `embedder` the index's e5 embedder (None: words only);
    `policy` defaults to the shipped `load_policy()`.
    """

    mode = "extractive"

    def __init__(
        self,
        lexical: LexicalIndex,
        embedder: Embedder | None = None,
        policy: AnswerPolicy | None = None,
        judge: LearnedJudge | None = None,
    ) -> None:
        if not isinstance(lexical, LexicalIndex):
            raise TypeError(
                f"ExtractiveAnswerer: lexical must be a LexicalIndex (got {type(lexical).__name__})"
            )
        if embedder is not None and not callable(getattr(embedder, "get_text_embedding", None)):
            raise TypeError(
                f"ExtractiveAnswerer: embedder must have get_text_embedding (got {type(embedder).__name__})"
            )
        self.policy = resolve(policy, "ExtractiveAnswerer")
        self.lexical = lexical
        self.embedder = embedder
        self._last_evidence: tuple[Retrieval, Evidence] | None = None
        # The learned judge decides same-language answers; None: the hand-written rules do (fallback).
        if judge is not None and not isinstance(judge, LearnedJudge):
            raise TypeError(f"ExtractiveAnswerer: judge must be a LearnedJudge (got {type(judge).__name__})")
        self.judge = judge
        self._last_decision: tuple[Retrieval, Decision] | None = None
        self.similarity = SentenceSimilarity(lexical, embedder, self.policy)


    def evidence(self, retrieval: Retrieval) -> Evidence:
        """Whether the retrieved passages answer the question, as this answerer decides it. The last
        verdict is kept: the engine asks first (rag.retrieval.crosslingual), then the answer asks again."""
        last = self._last_evidence
        if last is not None and last[0] is retrieval:
            return last[1]
        q_vec = np.asarray(retrieval.query_embedding, dtype=np.float32)
        scorer = self.similarity.scorer(q_vec) if q_vec.size and self.embedder is not None else None
        found = assess(
            retrieval.question, retrieval.lang, retrieval.passages, self.lexical, scorer, self.policy
        )
        self._last_evidence = (retrieval, found)
        return found

    def decision(self, retrieval: Retrieval) -> Decision | None:
        """The learned judge's verdict on these passages (kept for the same retrieval), or None when
        the judge is off or the question asks for a byline, a date or a wording in a given language
        (kinds the public training data never asks; the rules answer those)."""
        q = retrieval.question
        if self.judge is None or not retrieval.passages or asks_metadata(q) or requested_lang(q):
            return None
        last = self._last_decision
        if last is not None and last[0] is retrieval:
            return last[1]
        found = judge_retrieval(self.judge, retrieval, self.lexical, self.evidence(retrieval))
        self._last_decision = (retrieval, found)
        return found

    def answers_in_own_language(self, retrieval: Retrieval) -> bool:
        """The passages in the question's language answer it (the cross-lingual search's trigger)."""
        found = self.evidence(retrieval)
        by_rules = found.answerable and not found.cross_lingual
        decision = self.decision(retrieval)
        if decision is None:
            return by_rules
        # Either verdict that the question's own language does not answer it is reason to look in the
        # other: the judge never saw a cross-lingual question, the rules were built for them.
        return by_rules and decision.answerable and not found.lacks_required

    def answer(self, retrieval: Retrieval, shown: Collection[Quote] = ()) -> Answer:
        """The cited answer: the learned judge's sentences when it finds the passages answer; else an
        answer from text in the other language when the cross-lingual rules find one; else a refusal.
        Without a judge (another embedder than it was trained with), the hand-written rules decide.
        `shown`: the sentences (chunk id, start, end) the previous answer of a chat already quoted; a
        follow-up that the judge would answer with any of those gets its next best sentences instead,
        since the reader has those already ("What about North Korea?" after an answer about it)."""
        t0 = time.perf_counter()
        decision = self.decision(retrieval)
        evidence = self.evidence(retrieval)
        cross_lingual = evidence.answerable and evidence.cross_lingual  # the rules found it in the other language
        if decision is not None and decision.answerable and not cross_lingual:
            picked = unshown_candidates(self.judge, decision, retrieval, shown)
            return self._finish(retrieval, picked, ranked_candidates(decision, retrieval), t0, decision)
        if decision is not None and not evidence.cross_lingual:
            evidence = replace(evidence, answerable=False)  # same-language verdicts are the judge's
        if not evidence.answerable or evidence.best is None:
            return self._refuse(retrieval, evidence, t0, decision)
        if evidence.cross_lingual:
            cands = self._cross_lingual(evidence.best, retrieval)
        else:
            cands = self._score(retrieval)
        field = asks_metadata(retrieval.question)
        if field:
            cands = sorted(self._metadata_candidates(cands, field) + cands, key=lambda x: -x.score)
        picked = self._select(cands, key_terms(retrieval.question))
        return self._finish(retrieval, picked, cands, t0, None, evidence)

    def _finish(
        self,
        retrieval: Retrieval,
        picked: list[Candidate],
        cands: list[Candidate],
        t0: float,
        decision: Decision | None,
        evidence: Evidence | None = None,
    ) -> Answer:
        """The composition steps every answer takes: one sentence per document when the question asks
        about several, the sentence before one that points back, the language the question asks for."""
        if wants_several_sources(retrieval.question):
            picked = one_per_document(picked, cands, self.policy)
        picked = with_context(picked)
        wanted = requested_lang(retrieval.question)
        if wanted:
            picked = self._in_language(picked, cands, wanted)
        if not picked:
            return self._refuse(retrieval, evidence or self.evidence(retrieval), t0, decision)
        text, citations = compose(picked)
        note = ""
        if evidence is not None and evidence.cross_lingual:
            note = _XLING_NOTE.get(retrieval.lang, "")
        ms = (time.perf_counter() - t0) * 1000
        return Answer(
            retrieval.question,
            text,
            False,
            self.mode,
            citations,
            {**retrieval.timings_ms, "answer": ms},
            retrieval.lang,
            note=note,
            confidence=decision.probability if decision is not None else None,
        )

    def _cross_lingual(self, passage: Passage, retrieval: Retrieval) -> list[Candidate]:
        """The passage is in another language: rank its sentences by the question's terms they state
        in either language (dictionary, transliterated names) and by e5 similarity."""
        c = passage.chunk
        policy = self.policy
        terms = classify_terms(retrieval.question)
        weights = self._term_weights(retrieval.question)
        total = sum(weights.values()) or 1.0
        q_vec = np.asarray(retrieval.query_embedding, dtype=np.float32)
        numeric = QUANTITY in weights  # "How many ...?": digits cross languages
        sims = dict(self.similarity.sims(c, q_vec)) if q_vec.size else {}
        out = []
        for s, e in c.sentence_spans():
            sent = c.span_text(s, e).strip()
            if len(sent) < policy.min_sentence_chars:
                continue
            found = found_across_languages(terms, [sent], policy=policy)
            if numeric and states_quantity(retrieval.question, sent):
                found.add(QUANTITY)
            cov = sum(w for t, w in weights.items() if t in found) / total
            score = cov + policy.dense_weight * _rescale(sims.get((s, e), 0.0), policy)
            if sent == c.title:
                score *= policy.title_factor  # as in `_score`: the body says it in full
            out.append(Candidate(passage, 0, s, e, sent, score))
        out.sort(key=lambda x: -x.score)
        return out[:1]

    def _term_weights(self, question: str) -> dict[str, float]:
        """Each key term's capped idf, and for "how many" questions a stated number as one more term."""
        quantity = self.lexical.idf_for_df(1) if asks_quantity(question) else None
        return term_weights(classify_terms(question), self.lexical.capped_idf, quantity=quantity)

    def _score(self, retrieval: Retrieval) -> list[Candidate]:
        policy = self.policy
        weights = self._term_weights(retrieval.question)
        total = sum(weights.values()) or 1.0
        in_pool = {p.chunk.id for p in retrieval.passages}
        top = retrieval.passages[0].score if retrieval.passages else 1.0
        q_vec = np.asarray(retrieval.query_embedding, dtype=np.float32)
        out: list[Candidate] = []
        for rank, p in enumerate(retrieval.passages):
            c = p.chunk
            # When this paragraph's translation in the question's language is also retrieved, quote that.
            lang_factor = policy.twin_lang_factor if (c.lang != retrieval.lang and c.twin in in_pool) else 1.0
            prior = p.score / top
            dense = dict(self.similarity.sims(c, q_vec)) if q_vec.size else {}
            for s, e in c.sentence_spans():
                sent = c.span_text(s, e).strip()
                if len(sent) < policy.min_sentence_chars:
                    continue
                toks, grams = token_set(sent), bigrams(sent)
                cov = (
                    sum(weights[t] * term_in_set(t, toks, grams) for t in weights) / total if weights else 0.0
                )
                # Meaning, not just words: a paraphrase ("열리나" for "개최된다") scores on e5 similarity.
                sim = _rescale(dense.get((s, e), 0.0), policy)
                score = (cov + policy.prior_weight * prior + policy.dense_weight * sim) * lang_factor
                if sent == c.title:
                    score *= policy.title_factor  # a headline restates the article; its body says it in full
                if is_question(sent):
                    score *= policy.question_factor  # shares the question's words, rarely holds its answer
                out.append(Candidate(p, rank, s, e, sent, score))
        return sorted(out, key=lambda x: -x.score)

    def _select(self, cands: list[Candidate], terms: list[str]) -> list[Candidate]:
        """The best sentence, then each next one that adds a key term, scores at least
        `relative_min_score` of the best and fits `max_sentences` / `max_answer_chars`."""
        if not cands:
            return []
        policy = self.policy
        best = cands[0]
        picked = [best]
        covered = terms_in(best.text, terms)
        used_chunks = {best.passage.chunk.id, best.passage.chunk.twin}
        length = len(best.text)
        for c in cands[1:]:
            if len(picked) >= policy.max_sentences or c.score < policy.relative_min_score * best.score:
                break
            chunk = c.passage.chunk
            if chunk.twin and chunk.twin in used_chunks and chunk.id not in used_chunks:
                continue  # the translation of something already quoted
            new_terms = terms_in(c.text, terms) - covered
            if not new_terms or length + len(c.text) > policy.max_answer_chars:
                continue
            if any(c.text == p.text for p in picked):
                continue
            picked.append(c)
            covered |= new_terms
            used_chunks |= {chunk.id, chunk.twin}
            length += len(c.text)
        return picked

    def _metadata_candidates(self, cands: list[Candidate], field: str) -> list[Candidate]:
        """Who wrote it / when was it published: the answer is a byline or dateline in the header of
        the document the question is about (the one whose sentences score best), which retrieval by
        content rarely ranks high. Header sentences that state the field get a bonus."""
        doc_score: dict[str, tuple[float, Passage]] = {}
        for c in cands:
            doc_score.setdefault(c.passage.chunk.path, (c.score, c.passage))
        out: list[Candidate] = []
        for path, (score, passage) in doc_score.items():
            for chunk in self.lexical.headers(path):
                for s, e in chunk.sentence_spans():
                    sent = chunk.span_text(s, e).strip()
                    if states_field(sent, chunk, field):
                        p = Passage(chunk, passage.score, None, passage.ranks)
                        out.append(Candidate(p, 0, s, e, sent, score + self.policy.meta_bonus))
        return out

    def _translate(self, c: Candidate, lang: str) -> Candidate | None:
        """The same sentence in the paragraph's translation twin, aligned by e5 similarity."""
        chunk = c.passage.chunk
        if chunk.lang == lang:
            return c
        twin = self.lexical.by_id().get(chunk.twin) if chunk.twin else None
        if twin is None or twin.lang != lang:
            return None
        spans = chunk.sentence_spans()
        if (c.start, c.end) not in spans:
            return None
        src = self.similarity.vectors(chunk)[spans.index((c.start, c.end))]
        sims = self.similarity.vectors(twin) @ src
        s, e = twin.sentence_spans()[int(np.argmax(sims))]
        passage = Passage(twin, c.passage.score, c.passage.dense, c.passage.ranks)
        return Candidate(passage, c.rank, s, e, twin.span_text(s, e).strip(), c.score)

    def _in_language(self, picked: list[Candidate], cands: list[Candidate], lang: str) -> list[Candidate]:
        """The question asked for the text in a given language ("the Korean name"): quote the twin,
        or a sentence in that language that answers nearly as well; never one that merely happens to
        be in it (measured: "How is Janne Pak's name written in Korean?" was answered with an
        unrelated Korean sentence scoring a tenth of the best)."""
        out = [self._translate(c, lang) or c for c in picked]
        if any(c.passage.chunk.lang == lang for c in out) or not picked:
            return out
        policy = self.policy
        bar = policy.relative_min_score * picked[0].score
        for c in cands[: policy.in_language_scan * policy.max_sentences]:
            if c.score < bar:
                break
            moved = self._translate(c, lang)
            if moved is not None:
                return [moved, *out][: policy.max_sentences]
        return out

    def _refuse(
        self, retrieval: Retrieval, evidence: Evidence, t0: float, decision: Decision | None = None
    ) -> Answer:
        """Say so in the question's language, truthfully: what was searched for, which words no
        document holds at all, and the closest passages as related sentences, not an answer (for a
        false premise, the closest sentence is the correction)."""
        related = self._related(retrieval, evidence, decision)
        searched = tuple(k.term for k in classify_terms(retrieval.question))
        vocabulary = self.lexical.vocabulary
        absent = tuple(t for t in evidence.missing if absent_from_corpus(t, vocabulary))
        text = refusal_text(retrieval.question, retrieval.lang, searched, absent, bool(related), self.policy)
        citations: tuple[Citation, ...] = ()
        if related:
            quote, citations = compose(related)
            text = f"{text} {quote}"
        ms = (time.perf_counter() - t0) * 1000
        return Answer(
            retrieval.question,
            text,
            True,
            self.mode,
            citations,
            {**retrieval.timings_ms, "answer": ms},
            retrieval.lang,
            confidence=decision.probability if decision is not None else None,
        )

    def _related(self, retrieval: Retrieval, evidence: Evidence, decision: Decision | None) -> list[Candidate]:
        """The sentences a refusal shows: the judge's best of each top passage, or the rules' closest."""
        found = evidence.best
        other_language = found is not None and found.chunk.lang != retrieval.lang and not found.chunk.twin
        closest: list[Candidate] = []
        if found is not None and (other_language or decision is None or not decision.candidates):
            focused = Retrieval(retrieval.question, retrieval.lang, [found], retrieval.timings_ms)
            closest = (self._cross_lingual(found, retrieval) if other_language else self._score(focused))[:1]
        if decision is None or not decision.candidates:
            return closest
        # The rules' closest passage in the other language first ("Who met Park Jin?": 박진), then the
        # judge's best sentence of each top passage.
        limit = self.policy.refusal_related_passages
        ranked = related_candidates(decision, retrieval, limit)
        return (closest + [c for c in ranked if c.passage.chunk.id not in {x.passage.chunk.id for x in closest}])[:limit]


_XLING_NOTE = {
    "ko": "한국어 문서에는 직접적인 답이 없어 영어 원문에서 찾은 문장을 인용합니다.",
    "en": "Quoted from text in another language: the documents hold no answer in English.",
}
