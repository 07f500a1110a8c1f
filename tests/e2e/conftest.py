"""Browser test harness: Playwright driving Debian's Chromium (never `playwright install`), axe on every page.

Fixtures:
- ``browser_page``: a Playwright page whose ``goto`` resolves paths against the live server and which
  collects console CSP errors; ``browser_page.base_url`` is the live server URL.
- ``login(page, email, password)``: logs in through the real login form, by keyboard.
- ``assert_no_axe_violations(page)``: runs axe-core (WCAG 2.1 A/AA rules) and fails with a readable list.

Keep ORM calls outside Playwright actions: create data first (it runs in the test thread, which is fine
because DJANGO_ALLOW_ASYNC_UNSAFE is set for browser tests only), then drive the browser.
"""

import os
import shutil
import tempfile

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "Correct-Horse-42!"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _browser_env():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    home = tempfile.mkdtemp(prefix="ka-browser-")
    old = {k: os.environ.get(k) for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    os.environ.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_CACHE_HOME=os.path.join(home, "cache"),
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    yield home
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def _browser(_browser_env):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class _Page:
    """Thin wrapper: ``goto('/path')`` against the live server; everything else is Playwright's Page."""

    def __init__(self, page, base_url):
        self._page = page
        self.base_url = base_url
        self.csp_errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

    def goto(self, path, **kwargs):
        url = path if path.startswith("http") else self.base_url + path
        return self._page.goto(url, **kwargs)

    def __getattr__(self, name):
        return getattr(self._page, name)


@pytest.fixture
def browser_page(_browser, live_server, settings):
    settings.AXES_ENABLED = False
    context = _browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    wrapped = _Page(page, live_server.url)
    yield wrapped
    context.close()
    assert not wrapped.csp_errors, f"Content-Security-Policy violations: {wrapped.csp_errors}"


@pytest.fixture
def login():
    def _login(page, email, password=DEMO_PASSWORD):
        page.goto("/inloggen/")
        page.get_by_label("E-mailadres").focus()
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    return _login


_AXE = None


@pytest.fixture
def assert_no_axe_violations():
    def _check(page):
        global _AXE
        from axe_playwright_python.sync_playwright import Axe

        _AXE = _AXE or Axe()
        options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
        results = _AXE.run(page._page if isinstance(page, _Page) else page, options=options)
        violations = results.response.get("violations", [])
        readable = [
            f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in violations
        ]
        assert not violations, f"axe violations on {page.url}:\n" + "\n".join(readable)

    return _check
