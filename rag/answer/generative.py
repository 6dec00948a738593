"""The LLM answerer: grounded prompt -> OpenAI-compatible chat -> markers fixed -> claims verified.

Citations are built from the passages exactly as the extractive answerer builds them (same fields,
numbered by first use, highlights = the passage sentences that support each cited sentence), so the
UI and the evals treat both modes alike. Failures raise `LLMError`; the engine falls back to the
extractive answer and says so. An answer the server cut at the token limit (`finish_reason` "length")
keeps its text and says it was cut off (issue 16: a small model on CPU often runs into the limit).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from rag.answer.markers import MarkerRewriter
from rag.answer.policy import AnswerPolicy, resolve
from rag.answer.verify import Verifier
from rag.core import outcomes
from rag.core.config import Settings
from rag.core.records import Answer, AnswerDelta, Citation, Turn
from rag.embeddings.base import Embedder
from rag.llm.client import ChatClient
from rag.llm.prompt import Prompt, build_prompt, echoes_prompt
from rag.retrieval.hybrid import Retrieval
from rag.retrieval.lexical import LexicalIndex

CUT_OFF_NOTE = {
    "en": "The answer was cut off at the token limit (RAG_LLM_MAX_ANSWER_TOKENS); it may be incomplete.",
    "ko": "답변이 토큰 한도(RAG_LLM_MAX_ANSWER_TOKENS)에서 잘렸습니다. 내용이 불완전할 수 있습니다.",
}


class GenerativeAnswerer:
    """Answers with an LLM over the retrieved passages, then checks every claim against its citations.

    Usage: `GenerativeAnswerer(ChatClient(settings, model), lexical, embedder, settings)
    .answer(retriever.retrieve(question, k=5))` (or `.stream(...)` for text as it arrives);
    `policy` (verification thresholds, marker handling) defaults to the shipped `load_policy()`.
    """

    def __init__(
        self,
        client: ChatClient,
        lexical: LexicalIndex,
        embedder: Embedder | None,
        settings: Settings,
        policy: AnswerPolicy | None = None,
    ) -> None:
        if not isinstance(client, ChatClient):
            raise TypeError(f"GenerativeAnswerer: client must be a ChatClient (got {type(client).__name__})")
        if not isinstance(settings, Settings):
            raise TypeError(
                f"GenerativeAnswerer: settings must be a Settings (got {type(settings).__name__})"
            )
        self.policy = resolve(policy, "GenerativeAnswerer")
        self.client = client
        self.settings = settings
        self.verifier = Verifier(lexical, embedder, self.policy)

    @property
    def mode(self) -> str:
        return f"llm:{self.client.model}"

    def prompt(self, retrieval: Retrieval, history: Sequence[Turn] = ()) -> Prompt:
        return build_prompt(
            retrieval.question,
            retrieval.lang,
            retrieval.passages,
            history,
            self.settings.llm_context_window,
            self.settings.llm_max_answer_tokens,
            retrieval.translations,
            count=self.client.count_tokens,
            sentences=self.settings.llm_passage_sentences,
        )

    def answer(self, retrieval: Retrieval, history: Sequence[Turn] = ()) -> Answer:
        """One non-streamed completion."""
        t0 = time.perf_counter()
        prompt = self.prompt(retrieval, history)
        t1 = time.perf_counter()
        raw = self.client.complete(prompt.messages)
        t2 = time.perf_counter()
        rw = MarkerRewriter(len(prompt.passages), self.policy)
        text = (rw.feed(raw) + rw.flush()).strip()
        timings = {"prompt": (t1 - t0) * 1000, "llm": (t2 - t1) * 1000}
        return self._finish(retrieval, prompt, rw, text, timings, t2)

    def stream(self, retrieval: Retrieval, history: Sequence[Turn] = ()) -> Iterator[AnswerDelta | Answer]:
        """Text as it arrives (markers already fixed), then the verified `Answer`."""
        t0 = time.perf_counter()
        prompt = self.prompt(retrieval, history)
        t1 = time.perf_counter()
        rw = MarkerRewriter(len(prompt.passages), self.policy)
        shown: list[str] = []
        first: float | None = None
        for piece in self.client.stream(prompt.messages):
            if first is None:
                first = time.perf_counter()
            out = rw.feed(piece)
            if not shown:
                out = out.lstrip()  # the answer starts at its first visible character
            if out:
                shown.append(out)
                yield AnswerDelta(out)
        tail = rw.flush()
        if tail.strip():
            shown.append(tail)
            yield AnswerDelta(tail)
        t2 = time.perf_counter()
        timings = {
            "prompt": (t1 - t0) * 1000,
            "llm": (t2 - t1) * 1000,
            "first_token": ((first or t2) - t1) * 1000,
        }
        text = "".join(shown).rstrip()
        yield self._finish(retrieval, prompt, rw, text, timings, t2)

    def _finish(
        self,
        retrieval: Retrieval,
        prompt: Prompt,
        rw: MarkerRewriter,
        text: str,
        timings: dict[str, float],
        t_llm_done: float,
    ) -> Answer:
        by_number = {new: prompt.passages[old - 1] for old, new in rw.numbers.items()}
        check = self.verifier.verify(text, {n: p.chunk for n, p in by_number.items()})
        citations = tuple(
            Citation(
                n=n,
                doc=p.chunk.doc,
                title=p.chunk.title,
                date=p.chunk.date,
                text=p.chunk.text,
                start=p.chunk.start,
                end=p.chunk.end,
                score=p.score,
                publisher=p.chunk.publisher,
                chunk_id=p.chunk.id,
                highlights=tuple(sorted(check.highlights.get(n, ()))),
            )
            for n, p in sorted(by_number.items())
        )
        done = time.perf_counter()
        cut = self.client.finish_reason == "length"
        note = CUT_OFF_NOTE.get(retrieval.lang, CUT_OFF_NOTE["en"]) if cut else ""
        # The engine replaces an answer with no citation, or none that holds: a small model echoes the
        # prompt's passage list or its example with their numbers (SmolLM2, Gemma 3 270M; issue 16).
        backed = any(s.supported and s.cites for s in check.sentences)
        if echoes_prompt(text, prompt.labels):
            outcome = outcomes.ECHO  # even a verbatim copy of the passage list is not an answer
        elif not citations:
            outcome = outcomes.BAD_MARKERS if rw.dropped else outcomes.UNCITED
        elif not backed:
            outcome = outcomes.UNSUPPORTED
        else:
            outcome = outcomes.CUT_OFF if cut else outcomes.MODEL
        usage = self.client.usage
        tokens = {
            "prompt": prompt.tokens,
            **({"server_prompt": usage["prompt_tokens"]} if "prompt_tokens" in usage else {}),
            **({"completion": usage["completion_tokens"]} if "completion_tokens" in usage else {}),
        }
        timings = {
            **retrieval.timings_ms,
            **timings,
            "verify": (done - t_llm_done) * 1000,
        }
        return Answer(
            question=retrieval.question,
            answer=text,
            refused=outcome not in outcomes.FROM_MODEL,
            mode=self.mode,
            citations=citations,
            timings_ms=timings,
            lang=retrieval.lang,
            unsupported=check.unsupported,
            note=note,
            outcome=outcome,
            tokens=tokens,
            draft="" if outcome in outcomes.FROM_MODEL else text,
        )
