"""Browser journeys in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The app is served from a thread on 127.0.0.1 against this worker's test database; the database
is reset after each test like everywhere else.  Screenshots of failures go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One browser per worker is plenty on two cores: keep journeys on one worker.
            item.add_marker(pytest.mark.xdist_group("browser"))


def _read_whole_files(app):
    """Werkzeug's development server does not close a response's file when the browser drops the
    connection mid-download (its clean-up reads the reset socket and raises before it calls
    close()): a page left while the 5 MB Japanese font still streams left an open file behind,
    whose ResourceWarning failed whichever test the garbage collector happened to run in.  The
    server here hands Flask a ``wsgi.file_wrapper`` that reads the file whole and closes it at
    once.  gunicorn, which serves production, closes its responses itself."""

    def whole_file(file, block_size=8192):
        with file:
            return [file.read()]

    def serve(environ, start_response):
        environ["wsgi.file_wrapper"] = whole_file
        return app(environ, start_response)

    return serve


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, _read_whole_files(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server, locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_page_error(msg) else None)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    # A Content-Security-Policy violation or a script error is a failure of the page.
    assert not errors, errors


def _is_page_error(message) -> bool:
    """Script errors, CSP refusals, missing resources and server errors -- not the 4xx answers
    a form gets on purpose (422 with field errors, 409 conflicts, 429 throttling)."""
    if message.type != "error":
        return False
    text = message.text
    return not (text.startswith("Failed to load resource") and any(
        f"status of {code}" in text for code in (400, 403, 409, 422, 429)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    # Logged in: the page leaves /login and carries the user's badge (in the navbar, which is
    # folded on a phone-sized screen, so "attached" rather than "visible").
    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.locator(".user-badge")).to_be_attached()
