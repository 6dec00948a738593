"""axe-core run inside the page the browser tests drive: violations at "serious" and above.

axe-core comes from the npm registry at install time (`make axe`, part of `make install-dev` and
`make test`; pinned in the Makefile) into the git-ignored tests/ui/.axe/; nothing is fetched when
the tests run. It is injected as a script tag and run over the whole document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
  }));
}"""


def violations(page: Any, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it is now, at the given impacts."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `make axe` (npm install of the pinned axe-core)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(RUN)
    return [v for v in found if v["impact"] in impacts]


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation and element, for an assertion message a person can act on."""
    return "\n".join(
        f"{v['impact']} {v['id']} ({v['help']}): {n['target']}: {n['summary']}"
        for v in found
        for n in v["nodes"]
    )
