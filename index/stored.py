"""Which chunk ids the store holds, known without listing the store when the manifest can vouch for it.

Why: listing every id in Chroma took 2.8–3.4 s at 100k chunks (measured, issue 15), the largest
fixed cost of a one-file update. The manifest owns every stored chunk once a run has finished, so
the listing is needed only after something went wrong. Recovery, in order:
1. a crash during a batch write leaves the batch's new ids in `Manifest.pending`: those that no
   clean (recorded) file owns are removed from the store at the end of the next run (after their
   vectors had the chance to be reused), and the files being rewritten were marked dirty (empty
   hash) before the write, so they are redone;
2. if the store's count still differs from the manifest's, something outside ingest changed one of
   them (a deleted Chroma folder, a hand-edited manifest, a run of an older version): the ids are
   listed and the old, exact path takes over.

Usage:
    stored = StoredIds.check(store, manifest)
    if stored.holds(entry.chunk_ids): ...   # unchanged file, chunks present
"""

from __future__ import annotations

from collections.abc import Iterable

from rag.store.chroma import ChunkStore
from rag.store.manifest import Manifest


class StoredIds:
    """The store's chunk ids: exact (`listed`) after a listing, else vouched for by the manifest."""

    def __init__(self, listed: set[str] | None, leftovers: set[str] | None = None) -> None:
        self.listed = listed
        self.leftovers = leftovers or set()  # a crashed batch's ids, removed at the end of the run

    @classmethod
    def check(cls, store: ChunkStore, manifest: Manifest) -> StoredIds:
        """Trust the manifest (plus a crashed batch's journal) when the store's count agrees."""
        clean = [e for e in manifest.files.values() if e.sha256]
        owned = {i for e in clean for i in e.chunk_ids}
        # A crashed batch's chunks stay until the end of the run, so their vectors are reused by
        # text hash rather than embedded again; a dirty file (rewritten when a run stopped) is
        # redone whatever it holds. Only how many of those ids survived matters for the count, and
        # looking them up by id is cheap.
        unsure = [i for e in manifest.files.values() if not e.sha256 for i in e.chunk_ids]
        unsure += [i for i in manifest.pending if i not in owned]
        present = store.present(sorted(set(unsure))) if unsure else set()
        if store.count() == len(owned) + len(present):
            return cls(None, {i for i in manifest.pending if i not in owned})
        return cls(store.ids())

    @property
    def trusted(self) -> bool:
        return self.listed is None

    def holds(self, ids: Iterable[str]) -> bool:
        return self.listed is None or set(ids) <= self.listed

    def present(self, ids: Iterable[str]) -> list[str]:
        """The ids worth deleting: all of them when trusted (deleting an absent id is a no-op)."""
        listed = self.listed
        return list(ids) if listed is None else [i for i in ids if i in listed]

    def replaced(self, old: set[str], new: set[str]) -> None:
        if self.listed is not None:
            self.listed |= new
            self.listed -= old - new

    def orphans(self, wanted: set[str]) -> set[str]:
        """Stored ids no manifest entry owns: a crashed batch's leftovers when trusted."""
        return self.leftovers - wanted if self.listed is None else self.listed - wanted
