"""The web pages' tests: the page tests' real upstreams (tests/pages/conftest.py), and a browser
signed in with the session cookie as a customer's is."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from portal_bff.models import PortalAccount
from portal_bff.passwords import hash_password

# The upstream services, the seeder and the portal config fixture of the page tests, shared
# rather than copied (the tests run with --import-mode=importlib, so conftests are not importable).
_spec = importlib.util.spec_from_file_location(
    "portal_bff_pages_conftest", Path(__file__).resolve().parents[1] / "pages" / "conftest.py"
)
_pages = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _pages  # dataclasses look their module up there
_spec.loader.exec_module(_pages)
upstream_suite = _pages.upstream_suite
upstreams = _pages.upstreams
upstream_urls = _pages.upstream_urls
seed = _pages.seed
customer = _pages.customer
configure = _pages.configure
UNAVAILABLE_MARK = "data-section-unavailable"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """The Flask test client as a browser: cookies kept, forms posted with the page's CSRF token."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        found = TOKEN.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, data=None, **kwargs):
        form = {"csrf_token": self.token} | dict(data or {})
        return self.client.post(path, data=form, **kwargs)

    def text(self, path: str, status: int = 200) -> str:
        response = self.get(path)
        assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:2000])
        return response.get_data(as_text=True)


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def sign_in_browser(app, db, password):
    """A new browser signed in through the sign-in form as the seeded customer."""

    def make(customer: dict, *, set_password: bool = True) -> Browser:
        if set_password:
            with db.transaction() as session:
                session.get(PortalAccount, customer["id"]).password_hash = hash_password(password)
        browser = Browser(app.test_client())
        browser.get("/sign-in")
        response = browser.post("/sign-in", {"login": customer["login"], "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        browser.get("/profile/sessions")  # a page that reads no upstream: nothing cached yet
        return browser

    return make


@pytest.fixture
def jane(customer, sign_in_browser):
    """Jane signed in to the web portal."""
    return sign_in_browser(customer)
