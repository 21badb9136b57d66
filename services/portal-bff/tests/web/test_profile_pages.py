"""The Profile page (editable fields white, read-only dimmed, as the portal config says), changing the
password, the sessions, and About."""

import re


def field(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*id="field-{name}"[^>]*>', page).group(0)


def test_editable_fields_can_be_changed_and_read_only_ones_cannot(jane, customer, configure):
    configure(customer["partner_id"], {"profile": {"city": "editable", "street": "hidden"}})

    page = jane.text("/profile")
    saved = jane.post(
        "/profile", {"phones": "+44 113 496 0000, +44 7700 900123", "city": "Leeds", "full_name": "Mallory"}
    )
    after = jane.text("/profile")

    assert 'name="phones"' in field(page, "phones") and "readonly" not in field(page, "phones")
    assert "readonly" in field(page, "full_name") and "read-only-field" in field(page, "full_name")
    assert 'id="field-street"' not in page
    assert saved.headers["Location"] == "/profile?notice=profile_saved"
    assert 'value="+44 113 496 0000, +44 7700 900123"' in field(after, "phones")
    assert 'value="Leeds"' in field(after, "city") and 'value="Jane Doe"' in field(after, "full_name")


def test_an_invalid_field_is_shown_again(jane):
    jane.get("/profile")

    refused = jane.post("/profile", {"emails": "not-an-email"})

    assert refused.status_code == 422 and "is-invalid" in field(refused.get_data(as_text=True), "emails")


def test_changing_the_password_from_the_profile(jane, password):
    jane.get("/profile")

    wrong = jane.post(
        "/profile/password", {"current": "wrong one here", "new": "a-Fresh-passw0rd", "confirm": "a-Fresh-passw0rd"}
    )
    done = jane.post(
        "/profile/password", {"current": password, "new": "a-Fresh-passw0rd", "confirm": "a-Fresh-passw0rd"}
    )

    assert wrong.status_code == 422 and "The current password is not correct." in wrong.get_data(as_text=True)
    assert done.headers["Location"] == "/profile?notice=password_changed"


def test_sessions_can_be_signed_out_elsewhere(customer, sign_in_browser):
    phone = sign_in_browser(customer)
    laptop = sign_in_browser(customer, set_password=False)

    page = laptop.text("/profile/sessions")
    ended = laptop.post("/profile/sessions/end-others")

    assert page.count("This device") == 1 and page.count('action="/profile/sessions/') >= 2
    assert ended.headers["Location"] == "/profile/sessions?notice=sessions_ended"
    assert phone.get("/").status_code == 303  # back to sign-in
    assert laptop.get("/profile/sessions").status_code == 200


def test_about_shows_the_providers_contact_details(jane, customer, configure):
    configure(
        customer["partner_id"],
        {
            "main": {
                "title": "Example Fibre",
                "about": "Fast fibre.",
                "contact": "1 High Street",
                "support_email": "help@example.net",
                "support_phone": "+44 113 496 0000",
            }
        },
    )

    page = jane.text("/about")

    assert "Example Fibre" in page and "1 High Street" in page
    assert 'href="mailto:help@example.net"' in page and 'href="tel:+441134960000"' in page
