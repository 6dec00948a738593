"""The query side wired together once per process: store, BM25 index, embedder, retriever, answerer.

Loading is the expensive part (models, indexes); `Engine` does it once so `rag ask --jsonl`, the UI and
the eval harness pay it once and then answer warm.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.candidates import quotes_in
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.judge import LearnedJudge
from rag.answer.policy import AnswerPolicy, resolve
from rag.core import outcomes
from rag.core.config import Settings
from rag.core.errors import UserError
from rag.core.records import Answer, AnswerDelta, Turn
from rag.embeddings import build_embedder, embedder_id
from rag.lang import lexicon
from rag.retrieval import crosslingual, lexical
from rag.retrieval.hybrid import HybridRetriever
from rag.retrieval.policy import RetrievalPolicy, load_retrieval_policy
from rag.store.chroma import ChunkStore, StoreError, open_client
from rag.store.manifest import read_meta

if TYPE_CHECKING:
    from rag.answer.generative import GenerativeAnswerer

FALLBACK_NOTE = {
    "en": "LLM unavailable ({reason}); showing the offline extractive answer instead.",
    "ko": "LLM을 사용할 수 없어 ({reason}) 오프라인 추출 답변을 보여 줍니다.",
}
# The model did answer, but its answer failed a check (no citation, a copy of the prompt, ...).
NOT_USED_NOTE = {
    "en": "The model's answer was not used ({reason}); showing the offline extractive answer instead.",
    "ko": "모델의 답변을 쓰지 않았습니다 ({reason}). 오프라인 추출 답변을 보여 줍니다.",
}


# A pipeline step is listed in an answer's timings only when it took longer than this (seconds).
_SHOWN_STEP_S = 0.0005


UNCITED = {
    "en": "the model's answer cited no passage",
    "ko": "모델의 답변이 어떤 문단도 인용하지 않았습니다",
}
ECHO = {
    "en": "the model repeated the prompt instead of answering",
    "ko": "모델이 답하지 않고 프롬프트를 되풀이했습니다",
}
UNSUPPORTED = {
    "en": "no sentence of the model's answer is backed by the passage it cites",
    "ko": "모델의 답변에는 인용한 문단이 뒷받침하는 문장이 없습니다",
}


class LLMSettingError(UserError):
    """LLM mode was forced but cannot work as configured."""


class QuestionError(UserError):
    """An unusable question (empty, too long): one line for the user."""


def check_question(question: str, settings: Settings) -> str:
    # NFC: Hangul typed on macOS arrives decomposed (NFD) and would not be recognised as Korean.
    q = " ".join(unicodedata.normalize("NFC", question).split())
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > settings.max_question_chars:
        raise QuestionError(
            f"the question is too long ({len(q)} characters; the limit is {settings.max_question_chars})"
        )
    return q


def read_manifest_embedder(data_dir: Path) -> str:
    return read_meta(data_dir)[0]


class Engine:
    """`Engine(settings).ask("question")`. `policy` / `retrieval_policy`: the numbers the answer and
    retrieval stages use (default: the shipped `load_policy()` / `load_retrieval_policy()`), e.g. to
    evaluate a retuned set without editing the shipped files."""

    def __init__(
        self,
        settings: Settings,
        policy: AnswerPolicy | None = None,
        retrieval_policy: RetrievalPolicy | None = None,
    ) -> None:
        if not isinstance(settings, Settings):
            raise TypeError(f"Engine: settings must be a Settings (got {type(settings).__name__})")
        if retrieval_policy is not None and not isinstance(retrieval_policy, RetrievalPolicy):
            raise TypeError(
                f"Engine: retrieval_policy must be a RetrievalPolicy (got {type(retrieval_policy).__name__})"
            )
        self.settings = settings
        self.policy = resolve(policy, "Engine")
        self.retrieval_policy = retrieval_policy if retrieval_policy is not None else load_retrieval_policy()
        self.reload()

    def reload(self) -> None:
        """(Re)open the index; call after an ingest in the same process (the UI's upload/delete)."""
        settings = self.settings
        lex_dir = settings.data_dir / "lexical"
        if not lexical.exists(lex_dir):
            if (lex_dir / "chunks.jsonl").exists():
                raise StoreError(f"the index in {settings.data_dir} is in an older format: run `rag ingest`")
            raise StoreError(f"no index in {settings.data_dir}: run `rag ingest` first")
        indexed_with = read_manifest_embedder(settings.data_dir)
        current = embedder_id(settings.embed_model, settings.embed_base_url)
        if indexed_with and indexed_with != current:
            raise StoreError(
                f"the index was built with {indexed_with} but RAG_EMBED_MODEL is {current}: run `rag ingest`"
            )
        self.embedder = build_embedder(
            settings.embed_model, settings.embed_base_url, settings.embed_query_model
        )
        preload = getattr(self.embedder, "preload", None)  # optional: local models that load slowly
        if callable(preload):
            preload()
        lexicon.use_cache_dir(settings.data_dir)
        client = open_client(settings, create=False)
        self.store = ChunkStore(client, settings.collection, create=False)
        self.lexical = lexical.load(lex_dir)
        self.retriever = HybridRetriever(
            self.store, self.lexical, self.embedder, settings.candidates, self.retrieval_policy
        )
        titled = self.lexical.sentences.paired if self.lexical.sentences is not None else True
        judge = LearnedJudge.load(current, self.policy, titled) if self.settings.judge else None
        self.extractive = ExtractiveAnswerer(self.lexical, self.embedder, self.policy, judge=judge)
        self.generative = self._build_generative()

    def _build_generative(self) -> GenerativeAnswerer | None:
        """The LLM answerer when mode and environment call for one (auto: only when configured)."""
        settings = self.settings
        if settings.answer_mode == "extractive":
            return None
        from rag.llm.client import resolve_model

        model = resolve_model(settings)
        configured = settings.llm_configured
        if settings.answer_mode == "auto" and (model is None or not configured):
            return None
        if not configured:
            raise LLMSettingError(
                "answer mode llm needs an LLM: set OPENAI_BASE_URL (Ollama, vLLM, ...) or OPENAI_API_KEY"
            )
        if model is None:
            raise LLMSettingError("answer mode llm needs a model name: set RAG_LLM_MODEL or --llm-model")
        from rag.answer.generative import GenerativeAnswerer
        from rag.llm.client import ChatClient

        return GenerativeAnswerer(
            ChatClient(settings, model), self.lexical, self.embedder, settings, self.policy
        )

    @property
    def mode(self) -> str:
        """What answers: "extractive" or "llm:<model>" (shown in the UI and every JSON answer)."""
        return self.generative.mode if self.generative else "extractive"

    def stream(
        self, question: str, k: int | None = None, history: Sequence[Turn] = ()
    ) -> Iterator[AnswerDelta | Answer]:
        """Answer text as it is produced, then the complete `Answer` (citations resolved) as the last item.

        LLM text streams token by token with its markers already final; the extractive answer is ready
        at once and is streamed line by line so the UI and CLI have one code path for both modes. If the
        LLM fails mid-stream, the last item is the labelled extractive answer, which replaces the text.
        """
        return self._run(question, k, history, streaming=True)

    def ask(self, question: str, k: int | None = None, history: Sequence[Turn] = ()) -> Answer:
        *_, last = self._run(question, k, history, streaming=False)
        assert isinstance(last, Answer)
        return last

    def _run(
        self, question: str, k: int | None, history: Sequence[Turn], streaming: bool
    ) -> Iterator[AnswerDelta | Answer]:
        from rag.retrieval.followups import rewrite

        t0 = time.perf_counter()
        q = check_question(question, self.settings)
        llm = self.generative.client if self.generative and self.settings.llm_rewrite else None
        standalone = rewrite(q, history, llm, self.settings.max_question_chars)
        t_rw = time.perf_counter()
        retrieval = self.retriever.retrieve(standalone.question, k or self.settings.top_k)
        t1 = time.perf_counter()
        answer: Answer | None = None
        failure = standalone.llm_error
        outcome = standalone.llm_outcome if failure else ""
        draft: Answer | None = None  # the model's answer that was not shown (it cited no passage)
        streamed = False
        if self.generative is not None and self.settings.llm_translate and not failure:
            retrieval = crosslingual.widen(
                retrieval,
                self.retriever,
                self.generative.client,
                self.extractive.answers_in_own_language,
                k or self.settings.top_k,
                self.settings.max_question_chars,
            )
        if not retrieval.translations:  # offline, or the LLM gave no usable translation
            retrieval = crosslingual.widen_offline(
                retrieval, self.retriever, self.extractive.answers_in_own_language, k or self.settings.top_k
            )
        t_tr = time.perf_counter()
        if self.generative is not None and retrieval.passages and not failure:
            from rag.llm.client import LLMError

            try:
                if streaming:
                    for item in self.generative.stream(retrieval, history):
                        if isinstance(item, AnswerDelta):
                            streamed = True
                            yield item
                        else:
                            answer = item
                else:
                    answer = self.generative.answer(retrieval, history)
            except LLMError as exc:
                failure, outcome = str(exc), exc.outcome
            if answer is not None and answer.refused:
                # The model cited nothing. Its own words about the documents are unchecked (a small
                # model wrote "The document contains passages that are not available for editing"),
                # so the extractive answerer decides: its refusals say only what is true (issue 16).
                why = {outcomes.UNSUPPORTED: UNSUPPORTED, outcomes.ECHO: ECHO}.get(answer.outcome, UNCITED)
                failure, outcome, draft, answer = (
                    why.get(retrieval.lang, why["en"]),
                    answer.outcome,
                    answer,
                    None,
                )
        if answer is None:
            shown = quotes_in(history[-1].answer.citations) if history else frozenset()
            answer = self.extractive.answer(retrieval, shown)
            if self.generative is None:
                answer = replace(answer, outcome=outcomes.EXTRACTIVE)
            else:
                reason = failure or "no passages to give it"
                template = NOT_USED_NOTE if draft is not None else FALLBACK_NOTE
                note = template.get(retrieval.lang, template["en"]).format(reason=reason)
                if not failure:
                    outcome = outcomes.NO_PASSAGES
                elif draft is not None and answer.refused:
                    outcome = outcomes.REFUSED
                answer = replace(
                    answer,
                    note=f"{note} {answer.note}".strip(),
                    outcome=outcome or outcomes.ERROR,
                    tokens=draft.tokens if draft is not None else {},
                    draft=draft.answer if draft is not None else "",
                )
            if streaming and not streamed:
                parts = answer.answer.split("\n") if answer.answer else []
                for i, part in enumerate(parts):
                    yield AnswerDelta(part + ("\n" if i < len(parts) - 1 else ""))
        t2 = time.perf_counter()
        if retrieval.translations:
            extra = crosslingual.note(retrieval.lang, retrieval.translations)
            answer = replace(answer, note=f"{answer.note} {extra}".strip())
        timings = {
            **answer.timings_ms,
            "retrieve": (t1 - t_rw) * 1000,
            "answer": (t2 - t_tr) * 1000,
            "total": (t2 - t0) * 1000,
        }
        if t_tr - t1 > _SHOWN_STEP_S:
            timings["crosslingual"] = (t_tr - t1) * 1000  # includes its LLM call, timed as llm_translate
        if history:
            timings["rewrite"] = (t_rw - t0) * 1000
        yield replace(
            answer,
            question=q,
            rewritten=standalone.question if standalone.question != q else "",
            timings_ms=timings,
        )
