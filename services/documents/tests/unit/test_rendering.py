"""Templates render in a sandbox; the HTML fetches nothing; the same HTML gives the same PDF."""

import pytest

from documents.errors import TemplateInvalid
from documents.rendering import builtin_template, html_to_pdf, render_html, render_pdf


def test_the_same_html_renders_to_the_same_bytes(pdf_text):
    html = "<html><body><h1>Invoice 42</h1></body></html>"

    assert html_to_pdf(html) == html_to_pdf(html)
    assert "Invoice 42" in pdf_text(html_to_pdf(html))


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ document.__init__.__globals__ }}",
        "{{ document.lines.append(1) }}",  # the immutable sandbox: no changing what it is given
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_the_sandbox_refuses_reaching_python_internals(source):
    with pytest.raises(TemplateInvalid):
        render_html(source, {"document": {"lines": []}})


def test_an_undefined_name_is_an_error_not_a_blank():
    with pytest.raises(TemplateInvalid, match=r"no attribute .fax."):
        render_html("{{ partner.fax }}", {"partner": {}})


def test_a_syntax_error_names_its_line():
    with pytest.raises(TemplateInvalid, match="Line 2"):
        render_html("ok\n{% for x in %}", {})


def test_values_are_html_escaped():
    assert render_html("{{ name }}", {"name": "<b>Jane</b>"}) == "&lt;b&gt;Jane&lt;/b&gt;"


def test_local_files_and_network_addresses_are_never_fetched(pdf_text):
    html = (
        "<html><body><p>before</p>"
        '<img src="/etc/passwd"><img src="file:///etc/hostname"><img src="http://169.254.169.254/latest/">'
        '<link rel="stylesheet" href="/etc/passwd"><p>after</p></body></html>'
    )

    text = pdf_text(render_pdf("{{ html|safe }}", {"html": html}))

    assert "before" in text and "after" in text
    assert "root:" not in text


def test_the_builtin_templates_parse():
    for kind in ("invoice", "receipt"):
        assert "{{ document.number }}" in builtin_template(kind)
