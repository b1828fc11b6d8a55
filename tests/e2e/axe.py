"""axe-core (from the npm registry, installed by `make setup`) run in a Playwright page:
the suite fails on any moderate, serious or critical violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("moderate", "serious", "critical")


def violations(page: Page, within: str | None = None) -> list[dict[str, Any]]:
    """Moderate, serious and critical findings on the page (or inside the ``within`` selector)."""
    # colours mid-animation (a dialog fading in) are not the colours people read
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (within) => {
            const context = within ? document.querySelector(within) : document;
            const result = await axe.run(context, {resultTypes: ['violations']});
            // A toast that timed out while axe ran fades out (sonner marks it data-removed):
            // its colours mid-fade, or a finding on an element gone since, are not read.
            const leaving = (target) => {
                try {
                    const element = document.querySelector(target.join(' '));
                    return !element || element.closest('[data-removed="true"]') !== null;
                } catch (error) {
                    return false;  // a target inside a frame or a shadow root: kept
                }
            };
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.filter(n => !leaving(n.target)).slice(0, 5)
                    .map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            })).filter(v => v.nodes.length > 0);
        }""",
        within,
    )
    return [v for v in found if v["impact"] in FAILING]


def assert_accessible(page: Page, what: str, within: str | None = None) -> None:
    found = violations(page, within)
    assert not found, f"{what}: " + "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    )
