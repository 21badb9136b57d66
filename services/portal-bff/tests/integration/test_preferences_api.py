"""Theme and language per customer, kept by the portal and validated."""

import pytest


@pytest.fixture
def browser(signed_in_client):
    client, csrf, _session_id = signed_in_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = csrf
    return client


def test_the_defaults_until_the_customer_chooses(browser):
    assert browser.get("/api/v1/preferences").get_json() == {"theme": "system", "language": "en"}


def test_the_theme_and_the_language_are_kept(make_app, signed_in_client, stored):
    app = make_app(PORTAL_BFF_LANGUAGES="en,de,pt-BR")
    client = app.test_client()
    body = client.post("/api/v1/session", json={"login": "jane.doe", "password": "correct horse 42"}).get_json()
    headers = {"X-CSRF-Token": body["csrf_token"]}

    dark = client.patch("/api/v1/preferences", json={"theme": "dark"}, headers=headers)
    german = client.patch("/api/v1/preferences", json={"language": "de"}, headers=headers)

    assert dark.get_json() == {"theme": "dark", "language": "en"}
    assert german.get_json() == {"theme": "dark", "language": "de"}
    assert client.get("/api/v1/preferences").get_json() == {"theme": "dark", "language": "de"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"theme": "purple"}, "theme"), ({"language": "xx"}, "language"), ({"language": "English"}, "language")],
)
def test_unknown_themes_and_languages_are_refused(browser, problem, body, field):
    response = browser.patch("/api/v1/preferences", json=body)

    assert field in problem(response, 422)["errors"]
    assert browser.get("/api/v1/preferences").get_json() == {"theme": "system", "language": "en"}


def test_preferences_need_a_session_and_the_csrf_token(client, signed_in_client, problem):
    problem(client.get("/api/v1/preferences"), 401)
    browser, _csrf, _session = signed_in_client()
    problem(browser.patch("/api/v1/preferences", json={"theme": "dark"}), 403)
