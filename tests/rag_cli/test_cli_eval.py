"""`rag eval` as a user runs it: reports, the baseline gate, comparisons, feedback drafts, bad input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.store.feedback import FeedbackEntry, append_feedback
from rag_cli.main import main
from tests.conftest import SECRET_KEY, Indexed
from tests.fakes.openai_server import FakeOpenAI
from tests.rag_cli.conftest import TINY_CASES, write_cases

Run = Callable[..., subprocess.CompletedProcess[str]]
# mrr@10 and ndcg@10 can move between processes when fused scores tie (see evals/baseline.py); the gate
# tests below use metrics that repeat exactly.
STABLE = ("--metrics", "answers", "citations", "hit@5")


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def test_eval_writes_reports_and_prints_the_table(
    run_rag: Run, tiny_index: Indexed, tiny_dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = run_rag(
        "eval", "--data-dir", tiny_index.data_dir, "--dataset", tiny_dataset, "--out", out, "--quiet"
    )
    assert proc.returncode == 0, proc.stderr
    assert "hit@5" in proc.stdout and "lang:ko" in proc.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {c["id"] for c in report["cases"]} == {c["id"] for c in TINY_CASES}
    assert report["summary"]["all"]["metrics"]["markers_valid"]["n"] == 4
    assert set(report["latency_ms"]) >= {"retrieve", "answer", "total"}
    assert (out / "report.md").exists() and (out / "report.html").exists()


def test_baseline_update_then_gate_then_regression(
    run_rag: Run, tiny_index: Indexed, tiny_dataset: Path, tmp_path: Path
) -> None:
    base, data = tmp_path / "baseline.json", tiny_index.data_dir
    common = ("eval", "--data-dir", data, "--out", tmp_path / "out", "--quiet", *STABLE)
    made = run_rag(*common, "--dataset", tiny_dataset, "--baseline", base, "--update-baseline")
    assert made.returncode == 0, made.stderr
    assert json.loads(base.read_text())["tolerances"]["default"] == 0.01

    same = run_rag(*common, "--dataset", tiny_dataset, "--baseline", base)
    assert same.returncode == 0, same.stdout + same.stderr
    assert f"baseline {base}: ok" in same.stdout

    # The same questions, but the cables case now demands a fact the documents do not hold.
    harder = [dict(c, facts=[["4,?200"], ["titanium"]]) if c["id"] == "en-cables" else c for c in TINY_CASES]
    worse = run_rag(*common, "--dataset", write_cases(tmp_path / "harder.jsonl", harder), "--baseline", base)
    assert worse.returncode == 1, worse.stdout + worse.stderr
    assert "REGRESSION all facts:" in worse.stdout
    assert "newly failing: en-cables (facts)" in worse.stdout


def test_compare_two_runs_side_by_side(run_rag: Run, tmp_path: Path) -> None:
    def report(facts: float) -> Path:
        folder = tmp_path / f"run{facts}"
        folder.mkdir()
        body = {
            "summary": {"all": {"cases": 1, "passed": 1, "metrics": {"facts": {"mean": facts, "n": 4}}}},
            "cases": [{"id": "x", "passed": facts == 1.0, "failures": [] if facts == 1.0 else ["facts"]}],
        }
        (folder / "report.json").write_text(json.dumps(body))
        return folder / "report.json"

    proc = run_rag("eval", "--compare", report(1.0), report(0.5))
    assert proc.returncode == 0, proc.stderr
    assert "| all | facts | 1.000 | 0.500 | -0.500 ▼ |" in proc.stdout
    assert "- x: fails (facts) in run0.5" in proc.stdout


def test_thumbs_down_feedback_becomes_draft_cases(run_rag: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cited = [{"n": 1, "doc": "harbor.txt", "text": "The city council said tolls will stay at 1,500 won."}]
    append_feedback(
        data, FeedbackEntry("down", "What do tolls cost?", "Tolls rose. [1]", "extractive", cited, "wrong")
    )
    append_feedback(data, FeedbackEntry("up", "Who reopened the bridge?", "x", "extractive"))
    append_feedback(
        data, FeedbackEntry("down", "다리는 언제 열렸나?", "답 없음", "extractive", lang="ko", refused=True)
    )
    proc = run_rag("eval", "--data-dir", data, "--from-feedback", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    drafts = [json.loads(x) for x in (tmp_path / "out" / "feedback_drafts.jsonl").read_text().splitlines()]
    assert [d["question"] for d in drafts] == ["What do tolls cost?", "다리는 언제 열렸나?"]
    assert drafts[0]["sources"] == ["harbor.txt"] and drafts[0]["_feedback"]["comment"] == "wrong"
    assert drafts[1]["lang"] == "ko" and drafts[1]["answerable"] is None
    # A draft is not a case until a person completes it: the loader names what is missing.
    bad = run_rag("eval", "--data-dir", data, "--dataset", tmp_path / "out" / "feedback_drafts.jsonl")
    assert "line 1: field 'answerable' must be bool" in one_error_line(bad)


def test_bad_input_is_one_line_and_exit_2(
    run_rag: Run, tiny_dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def error_of(*args: str | Path) -> str:
        code = main([str(a) for a in args])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and err[0].startswith("error: "), err
        return err[0]

    # One through the real command line; the rest in-process (same `main`, no interpreter start-up).
    assert "unknown metric 'precision@3'" in one_error_line(run_rag("eval", "--metrics", "precision@3"))
    missing = error_of("eval", "--dataset", tiny_dataset, "--baseline", tmp_path / "none.json")
    assert "baseline not found" in missing and "--update-baseline" in missing
    broken = tmp_path / "broken.jsonl"
    broken.write_text(tiny_dataset.read_text().splitlines()[0] + '\n{"id": "x", "question": 3}\n')
    assert "broken.jsonl line 2: missing field 'lang'" in error_of("eval", "--dataset", broken)
    assert "feedback file not found" in error_of("eval", "--data-dir", tmp_path, "--from-feedback")
    assert "report not found" in error_of("eval", "--compare", tmp_path / "a.json", tmp_path / "b.json")
    assert "no index" in error_of("eval", "--data-dir", tmp_path / "empty", "--dataset", tiny_dataset)
    assert "needs OPENAI_API_KEY" in error_of("eval", "--dataset", tiny_dataset, "--judge")


def test_judge_through_the_cli_never_leaks_the_key(
    run_rag: Run, tiny_index: Indexed, tiny_dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with FakeOpenAI(behaviour="judge") as server:
        proc = run_rag(
            "eval",
            "--data-dir",
            tiny_index.data_dir,
            "--dataset",
            tiny_dataset,
            "--out",
            out,
            "--quiet",
            "--judge",
            "--judge-repeats",
            "2",
            "--judge-model",
            "m",
            env={"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": SECRET_KEY},
        )
    assert proc.returncode == 0, proc.stderr
    assert server.requests and all(r.body["temperature"] == 0 for r in server.requests)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["judge"]["repeats"] == 2 and report["judge"]["model"] == "m"
    assert "judge_correctness" in report["summary"]["all"]["metrics"]
    texts = [proc.stdout, proc.stderr, *(p.read_text(encoding="utf-8") for p in out.iterdir())]
    assert not any(SECRET_KEY in t for t in texts)


def test_an_llm_eval_on_a_sample_lists_each_case_outcome(
    run_rag: Run, tiny_index: Indexed, tiny_dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with FakeOpenAI(behaviour="chatter") as server:
        proc = run_rag(
            "eval",
            "--data-dir",
            tiny_index.data_dir,
            "--dataset",
            tiny_dataset,
            "--out",
            out,
            "--sample",
            "2",
            "--seed",
            "5",
            "--answer-mode",
            "llm",
            "--llm-model",
            "m",
            env={"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": SECRET_KEY},
        )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["sample"] == {"n": 2, "of": len(TINY_CASES), "seed": 5} and len(report["cases"]) == 2
    # The chatter model cites nothing: every case is the extractive fallback, and the report says so.
    outcomes = [c["outcome"] for c in report["cases"]]
    assert set(outcomes) <= {"fallback_uncited", "refused"}
    assert sum(report["outcomes"]["counts"].values()) == 2 and report["outcomes"]["from_model"] == 0
    assert all("not available for editing" in c["draft"] for c in report["cases"])
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Answer outcomes" in md and "0 of 2 answers are the model's own" in md
    assert all(f"| {c['id']} |" in md and c["outcome"] in md for c in report["cases"])
    assert "outcomes: " in proc.stdout and all(f"[{o}]" in proc.stderr for o in outcomes)
    gated = run_rag(
        "eval", "--data-dir", tiny_index.data_dir, "--dataset", tiny_dataset, "--sample", "2", "--baseline"
    )
    assert "--sample cannot be combined" in one_error_line(gated)
