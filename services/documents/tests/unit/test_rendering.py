"""Templates render in a sandbox; the HTML fetches nothing; the same HTML gives the same PDF."""

import base64
import io
import shutil
from importlib import resources

import pytest
from pypdf import PdfReader
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from documents.branding import branding_context
from documents.errors import RenderFailed, TemplateInvalid
from documents.pdf_context import bill_context
from documents.rendering import builtin_template, html_to_pdf, render_html, render_pdf
from documents.samples import sample_invoice

NAMES = "Łódź Żółć · Ελληνικά · Čeština Ђорђе"


def pdf_fonts(pdf: bytes) -> set[str]:
    """The fonts the PDF's pages use, by name, without a subset's "AAAAAA+" prefix."""
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return fonts


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


@pytest.mark.parametrize(
    "font_family",
    ["", "font-family: 'DejaVu Sans'", "font-family: Helvetica", "font-family: Arial, sans-serif", "font-family: Nope"],
)
def test_text_in_any_script_prints_exactly_in_the_bundled_font(pdf_text, font_family):
    html = f'<html><body><p style="{font_family}">{NAMES}</p><p style="{font_family}"><b>{NAMES}</b></p></body></html>'

    pdf = html_to_pdf(html)

    assert pdf_text(pdf).strip() == f"{NAMES} {NAMES}"
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= pdf_fonts(pdf)


@pytest.fixture
def font_file(tmp_path):
    """A font file a template might try to read: the bundled bold face, copied (the test only draws plain text)."""
    path = tmp_path / "secret.ttf"
    with resources.as_file(resources.files("documents").joinpath("fonts", "DejaVuSans-Bold.ttf")) as bold:
        shutil.copyfile(bold, path)
    return path


def font_face(src: str) -> str:
    return (
        f'<html><head><style>@font-face {{ font-family: Stolen; src: url("{src}") }} p {{ font-family: Stolen }}'
        "</style></head><body><p>plain text</p></body></html>"
    )


@pytest.mark.parametrize("form", ["path", "file URL", "data URI"])
def test_a_template_cannot_bring_a_font_through_font_face(pdf_text, font_file, form):
    src = {
        "path": str(font_file),
        "file URL": font_file.as_uri(),
        "data URI": "data:font/ttf;base64," + base64.b64encode(font_file.read_bytes()).decode(),
    }[form]
    html = font_face(src)
    allowed = io.BytesIO()  # the same HTML where reading it is allowed: the font is embedded, so it would show
    pisa.CreatePDF(html, dest=allowed, resource_policy=ResourceAccessPolicy(allow_local_outside_base=True))
    assert "DejaVuSans-Bold" in pdf_fonts(allowed.getvalue())

    pdf = html_to_pdf(html)

    assert "plain text" in pdf_text(pdf)
    assert "DejaVuSans" in pdf_fonts(pdf) and "DejaVuSans-Bold" not in pdf_fonts(pdf)


@pytest.mark.filterwarnings("ignore:<pdf.font> is deprecated:DeprecationWarning")
def test_a_pdf_font_tag_naming_a_file_fails_as_a_render_not_a_crash(font_file):
    with pytest.raises(RenderFailed):
        html_to_pdf(f'<html><body><pdf:font name="Stolen" src="{font_file}" /><p>text</p></body></html>')


def test_a_template_may_extend_the_built_in_layout_and_replace_its_content(pdf_text):
    source = '{% extends "base.html" %}{% block addressed_as %}Dear{% endblock %}{% block content %}<p>MINE</p>{% endblock %}'
    data = sample_invoice(number="X-1")
    data["customer"]["full_name"] = "Čeština Ђорђе"
    context = {**bill_context("invoice", data), "partner": branding_context(None, 1, None)}

    text = pdf_text(render_pdf(source, context))

    assert "Partner 1" in text and "Invoice" in text and "Customer no. 1" in text
    assert "Dear Čeština Ђорђе 1 Example Road" in text and "MINE" in text
    assert "Description" not in text  # the invoice's lines were the built-in invoice's, not the base's


@pytest.mark.parametrize(
    "source",
    [
        '{% include "/etc/passwd" %}',
        '{% extends "../rendering.py" %}',
        '{% include "templates/invoice.html" %}',
        '{% import "../../pyproject.toml" as settings %}',
    ],
)
def test_templates_can_load_only_the_built_in_ones(source):
    with pytest.raises(TemplateInvalid, match="failed to render"):
        render_html(source, {})
