"""The welcome templates carry the name, login and link; HTML escapes the customer's data."""

from notifications.rendering import render_email, render_text

CONTEXT = {
    "full_name": "Jane Doe",
    "login": "jane.doe",
    "set_password_url": "https://portal.example/set-password?token=abc",
    "expires_at": "2030-01-12 09:00 UTC",
}


def test_welcome_email_has_name_login_and_link_in_text_and_html():
    email = render_email("welcome", CONTEXT)

    assert email.subject == "Welcome to your customer portal, Jane Doe"
    for body in (email.text, email.html):
        assert "Jane Doe" in body
        assert "jane.doe" in body
        assert "https://portal.example/set-password?token=abc" in body
        assert "2030-01-12 09:00 UTC" in body
    assert '<a href="https://portal.example/set-password?token=abc">' in email.html


def test_markup_in_a_name_is_escaped_in_html_and_kept_in_text():
    email = render_email("welcome", CONTEXT | {"full_name": "<script>alert(1)</script> & Co"})

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in email.html
    assert "<script>alert(1)</script> & Co" in email.text


def test_subject_is_one_line_whatever_the_name_holds():
    email = render_email("welcome", CONTEXT | {"full_name": "Jane\r\nBcc: victim@example.com"})
    assert "\n" not in email.subject and "\r" not in email.subject


def test_portal_message_text_names_the_login():
    assert "jane.doe" in render_text("welcome.message.txt", CONTEXT)
