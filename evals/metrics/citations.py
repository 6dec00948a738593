"""Citation metrics: markers that resolve, sentences that carry a marker, cited passages that support.

Support is lexical and deterministic: a sentence is supported by a cited passage when the passage
contains it verbatim (the extractive answerer copies sentences), or when most of the sentence's content
units appear in the passage (English word stems, numbers, Hangul character bigrams so Korean spacing and
particles do not matter). A paraphrase into the other language is not recognised here; that is what
the optional LLM judge's faithfulness score is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evals.dataset import Case
from evals.matching import passage_has_evidence
from evals.metrics.answers import usable
from rag.core.records import Answer, Citation
from rag.lang.script import HANGUL, HANGUL_RANGE
from rag.lang.sentences import sentence_texts
from rag.lang.tokens import bigrams, tokens

MARKER = re.compile(r"\[(\d+)\]")
SUPPORT_THRESHOLD = 0.6
_MARKERS_RUN = re.compile(r"(?:\s*\[\d+\])+")
_HAS_WORD = re.compile(rf"[A-Za-z{HANGUL_RANGE}\d]")


def _sentences(text: str) -> list[str]:
    """Sentences of uncited text by the documents' rules (rag.lang.sentences), those with a word."""
    return [s for s in sentence_texts(text) if _HAS_WORD.search(s)]


def answer_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer cut into claims: text closed by a run of [n] markers is one cited claim (an answerer
    may cite after a multi-sentence span); text no marker closes is split into uncited sentences."""
    out: list[tuple[str, tuple[int, ...]]] = []
    for line in text.splitlines():
        pos = 0
        for m in _MARKERS_RUN.finditer(line):
            claim = line[pos : m.start()].lstrip(" .,;:")
            numbers = tuple(dict.fromkeys(int(n) for n in MARKER.findall(m.group(0))))
            if _HAS_WORD.search(claim):
                out.append((claim.strip(), numbers))
            pos = m.end()
        out.extend((s, ()) for s in _sentences(line[pos:].lstrip(" .,;:")))
    return out


def _units(text: str) -> set[str]:
    return {t for t in tokens(text) if not HANGUL.match(t)} | bigrams(text)


def supports(sentence: str, passage: str) -> bool:
    claim = " ".join(sentence.split()).strip()
    if not claim or claim in " ".join(passage.split()):
        return True
    units = _units(claim)
    if not units:
        return True
    return len(units & _units(passage)) / len(units) >= SUPPORT_THRESHOLD


@dataclass
class CitationCheck:
    scores: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    bad_markers: list[int] = field(default_factory=list)
    uncited: list[str] = field(default_factory=list)
    unsupported: list[tuple[str, int]] = field(default_factory=list)  # (claim, marker)


def check_citations(case: Case, answer: Answer) -> CitationCheck:
    out = CitationCheck()
    by_n: dict[int, Citation] = {c.n: c for c in answer.citations}
    if answer.answer.strip():
        out.bad_markers = sorted({int(n) for n in MARKER.findall(answer.answer)} - set(by_n))
        out.scores["markers_valid"] = float(not out.bad_markers)
        if out.bad_markers:
            out.failures.append("markers")
    judged = usable(case, answer)
    if case.answerable:
        hit = judged and any(passage_has_evidence(case.evidence, c.text) for c in answer.citations)
        out.scores["evidence_hit"] = float(hit)
        if not hit and judged:
            out.failures.append("evidence")
    if not judged:
        return out
    claims = answer_claims(answer.answer)
    if claims and not answer.refused:
        # A refusal's own wording ("The documents don't say ...") is not a claim that needs a source.
        out.uncited = [c for c, numbers in claims if not numbers]
        out.scores["cited_sentences"] = 1 - len(out.uncited) / len(claims)
        if out.uncited:
            out.failures.append("uncited")
    pairs = [(c, n) for c, numbers in claims for n in numbers if n in by_n]
    if pairs:
        # A refusal quotes its closest passage after its own wording: only the quote is a claim.
        claim_of = (lambda c: (_sentences(c) or [c])[-1]) if answer.refused else (lambda c: c)
        out.unsupported = [(c, n) for c, n in pairs if not supports(claim_of(c), by_n[n].text)]
        out.scores["citation_precision"] = 1 - len(out.unsupported) / len(pairs)
        if out.unsupported:
            out.failures.append("unsupported")
    return out
