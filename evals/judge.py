"""Optional LLM judge: faithfulness of each cited claim to its passage, correctness against the facts.

Shown beside the deterministic metrics and never gating: judge scores swing from run to run, so every
judgement is made at temperature 0, repeated and averaged, and a call that fails or answers in an
unreadable way counts as unmeasured (reported), never as a pass or a fail.

Direct `openai` chat calls rather than llama-index's `FaithfulnessEvaluator`: that one builds a summary
index per call, judges the whole response against all contexts at once and passes any reply containing
"yes"; the question here is narrower (does *this* passage support *this* claim), asked per citation.
The correctness prompt keeps llama-index's `CorrectnessEvaluator` convention (score 1-5 on the first line)
and reuses its parser.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from evals.harness import CaseResult
from evals.metrics.answers import usable
from evals.metrics.citations import answer_claims
from rag.core.errors import UserError

DEFAULT_MODEL = "gpt-4o-mini"

FAITHFULNESS_PROMPT = """You check citations. Does the passage fully support the claim?
Answer with exactly one word: YES or NO.

Passage:
{passage}

Claim:
{claim}"""

CORRECTNESS_PROMPT = """You grade an answer to a question against the facts it must contain.
On the first line write only a score from 1 (wrong or missing the facts) to 5 (states every fact
correctly, nothing contradicting them). On the next line give one sentence of reasoning.

Question: {question}
Facts the answer must contain (each line: acceptable alternatives, as regular expressions):
{facts}
Passages the facts come from:
{evidence}

Answer to grade:
{answer}"""


class JudgeError(UserError):
    pass


def _readable(pattern: str) -> str:
    """A fact regex as a person would read it (`10,?000` -> `10,000`, `미리\\s*예고` -> `미리 예고`)."""
    text = pattern.replace(r"\s*", " ").replace(r"\s+", " ").replace(",?", ",").replace("?", "")
    return re.sub(r"\\(.)", r"\1", text)


@dataclass
class Judge:
    client: Any
    model: str
    repeats: int = 3
    unmeasured: int = 0
    calls: int = 0

    @classmethod
    def from_env(cls, model: str | None, repeats: int) -> Judge:
        if not (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")):
            raise JudgeError("the LLM judge needs OPENAI_API_KEY or OPENAI_BASE_URL to be set")
        if repeats < 1:
            raise JudgeError("--judge-repeats must be at least 1")
        import openai

        client = openai.OpenAI(
            api_key=os.environ.get("OPENAI_API_KEY") or "unused", max_retries=1, timeout=60
        )
        return cls(client, model or DEFAULT_MODEL, repeats)

    def _ask(self, prompt: str) -> str | None:
        import openai

        self.calls += 1
        try:
            reply = self.client.chat.completions.create(
                model=self.model, temperature=0, messages=[{"role": "user", "content": prompt}]
            )
            return str(reply.choices[0].message.content or "")
        except openai.OpenAIError:
            return None

    def _mean(self, prompt: str, parse: Any) -> float | None:
        values = []
        for _ in range(self.repeats):
            reply = self._ask(prompt)
            value = parse(reply) if reply is not None else None
            if value is None:
                self.unmeasured += 1
            else:
                values.append(value)
        return sum(values) / len(values) if values else None

    @staticmethod
    def _yes_no(reply: str) -> float | None:
        word = re.match(r"\W*(\w+)", reply)
        first = word.group(1).upper() if word else ""
        return 1.0 if first == "YES" else 0.0 if first == "NO" else None

    @staticmethod
    def _score(reply: str) -> float | None:
        from llama_index.core.evaluation.eval_utils import default_parser

        try:
            score, _ = default_parser(reply.strip() + "\n")
        except ValueError:
            return None
        return (min(5.0, max(1.0, score)) - 1) / 4 if score is not None else None

    def faithfulness(self, result: CaseResult) -> float | None:
        by_n = {c.n: c.text for c in result.answer.citations}
        pairs = [(claim, n) for claim, ns in answer_claims(result.answer.answer) for n in ns if n in by_n]
        scores = [
            self._mean(FAITHFULNESS_PROMPT.format(passage=by_n[n], claim=c), self._yes_no) for c, n in pairs
        ]
        measured = [s for s in scores if s is not None]
        return sum(measured) / len(measured) if measured else None

    def correctness(self, result: CaseResult) -> float | None:
        case = result.case
        facts = "\n".join("- " + " | ".join(_readable(p) for p in group) for group in case.facts)
        prompt = CORRECTNESS_PROMPT.format(
            question=case.question,
            facts=facts or "- (none listed)",
            evidence="\n".join(f"- {e}" for e in case.evidence),
            answer=result.answer.answer,
        )
        return self._mean(prompt, self._score)

    def score(self, results: list[CaseResult]) -> dict[str, Any]:
        """Adds judge_* scores to each judged case; returns what the report says about the judge."""
        for r in results:
            if not r.case.answerable or not usable(r.case, r.answer):
                continue
            judged = {"faithfulness": self.faithfulness(r), "correctness": self.correctness(r)}
            r.details["judge"] = judged
            for name, value in judged.items():
                if value is not None:
                    r.scores[f"judge_{name}"] = value
        return {
            "model": self.model,
            "repeats": self.repeats,
            "calls": self.calls,
            "unmeasured": self.unmeasured,
        }
