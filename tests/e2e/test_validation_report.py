"""The validation report in a real browser, once the background validation is done.

The e2e app starts the validation when it is created (a child process); this file runs after the
others (alphabetically), so the report is usually ready by now, and it waits for it otherwise.
"""

from __future__ import annotations

from playwright.sync_api import expect


def test_validation_report_is_accessible(page, e2e_app, axe_check, screenshot):
    state = e2e_app.extensions["stelsel.validation"].wait(timeout=60)
    assert state.state == "ready", (state.state, state.reason)
    response = page.goto("/validatie")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    screenshot(page, "validation")
    axe_check(page, "validation")
