"""Templates render in a sandbox: the built-in texts carry their data, HTML escapes it, errors name the part."""

import pytest

from notifications.catalogue import SPECS
from notifications.errors import TemplateInvalid
from notifications.rendering import TemplateParts, check_syntax, render
from notifications.template_sources import builtin

CONTEXT = {
    "customer_id": 7,
    "full_name": "Jane Doe",
    "login": "jane.doe",
    "portal_url": "https://portal.example",
    "set_password_url": "https://portal.example/set-password?token=abc",
    "expires_at": "2030-01-12 09:00 UTC",
}


def test_welcome_email_has_name_login_and_link_in_text_and_html():
    email = render(builtin("welcome", "email"), CONTEXT)

    assert email.subject == "Welcome to your customer portal, Jane Doe"
    for body in (email.text, email.html):
        assert "Jane Doe" in body
        assert "jane.doe" in body
        assert "https://portal.example/set-password?token=abc" in body
        assert "2030-01-12 09:00 UTC" in body
    assert '<a href="https://portal.example/set-password?token=abc">' in email.html


def test_markup_in_a_name_is_escaped_in_html_and_kept_in_text():
    email = render(builtin("welcome", "email"), CONTEXT | {"full_name": "<script>alert(1)</script> & Co"})

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in email.html
    assert "<script>alert(1)</script> & Co" in email.text


def test_subject_is_one_line_whatever_the_name_holds():
    email = render(builtin("welcome", "email"), CONTEXT | {"full_name": "Jane\r\nBcc: victim@example.com"})
    assert "\n" not in email.subject and "\r" not in email.subject


def test_portal_message_names_the_login():
    message = render(builtin("welcome", "portal"), CONTEXT)
    assert message.subject == "Welcome to your customer portal"
    assert "jane.doe" in message.text


@pytest.mark.parametrize(
    ("key", "channel"), [(spec.key, channel) for spec in SPECS for channel in spec.channels], ids=str
)
def test_every_built_in_template_renders_its_sample_data(key, channel):
    spec = next(spec for spec in SPECS if spec.key == key)
    rendered = render(builtin(key, channel), spec.sample_context())

    assert rendered.text.strip()
    assert (rendered.subject is not None) == (channel != "sms")
    assert (rendered.html is not None) == (channel == "email")


def test_a_syntax_error_names_the_part_and_the_line():
    with pytest.raises(TemplateInvalid) as raised:
        check_syntax(TemplateParts(subject="Hi {{ full_name }", text="fine"))
    assert list(raised.value.errors) == ["subject"]
    assert "line 1" in raised.value.errors["subject"][0]


def test_an_unknown_variable_is_an_error_not_a_blank():
    with pytest.raises(TemplateInvalid) as raised:
        render(TemplateParts(subject=None, text="Hello {{ nickname }}"), CONTEXT)
    assert "nickname" in raised.value.errors["text"][0]


def test_the_sandbox_keeps_templates_away_from_python_internals():
    with pytest.raises(TemplateInvalid):
        render(TemplateParts(subject=None, text="{{ login.__class__.__mro__[1].__subclasses__() }}"), CONTEXT)
