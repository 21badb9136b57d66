"""The shipped translations: every text of the pages is in the catalog, the German one translates all
of them, and the compiled .mo is the .po's."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

SERVICE = Path(__file__).resolve().parents[2]
TRANSLATIONS = SERVICE / "portal_bff" / "translations"
PYBABEL = Path(sys.executable).parent / "pybabel"


def ids(catalog) -> set:
    return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id for m in catalog if m.id}


def test_every_text_of_the_pages_is_in_the_catalog(tmp_path):
    extracted = tmp_path / "messages.pot"
    subprocess.run(
        [PYBABEL, "-q", "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "--no-location", "-o", extracted, "."],
        cwd=SERVICE,
        check=True,
    )
    with extracted.open("rb") as now, (TRANSLATIONS / "messages.pot").open("rb") as kept:
        assert ids(read_po(now)) == ids(read_po(kept)), "run pybabel extract"


def test_german_translates_every_text_and_its_mo_is_compiled():
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        wanted = ids(read_po(file))
    with (TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        german = read_po(file)
    with (TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = read_mo(file)

    assert ids(german) == wanted
    assert [m.id for m in german if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])] == []
    assert as_dict(compiled) == as_dict(german), "run pybabel compile"


def as_dict(catalog) -> dict:
    # Plural messages' ids and strings come as lists from one reader and tuples from the other.
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {key(m.id): key(m.string) for m in catalog if m.id}
