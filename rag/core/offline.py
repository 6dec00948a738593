"""Process-wide offline guards, applied before any third-party library is imported.

Why: chromadb, gradio, huggingface_hub and tiktoken each phone home or download by default
(telemetry, hub lookups, BPE files). Setting these variables first keeps a fresh install air-gapped.
`setdefault` lets an operator still override any of them on purpose.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

_OFFLINE_DEFAULTS = {
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    # No OMP_WAIT_POLICY: OpenMP's default brief spin makes a 2-thread e5 query ~20 ms where passive
    # waiting takes ~40 ms; rag.embeddings.e5_local drops to one thread when cores are shared instead.
    "TOKENIZERS_PARALLELISM": "false",
}


def _llama_index_tiktoken_cache() -> str | None:
    """llama-index-core bundles the tiktoken BPE files; pointing tiktoken there avoids a download."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return str(path) if path.is_dir() else None


def apply() -> None:
    for key, value in _OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        cache = _llama_index_tiktoken_cache()
        if cache:
            os.environ["TIKTOKEN_CACHE_DIR"] = cache
