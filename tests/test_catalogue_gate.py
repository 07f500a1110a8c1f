"""The English catalogue gate (scripts/check_translations.py): what counts as a gap, and that it reads a fresh
catalogue made in a temporary folder without touching the committed one."""

import hashlib
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_translations", ROOT / "scripts" / "check_translations.py")
gate = importlib.util.module_from_spec(_spec)
sys.modules["check_translations"] = gate  # dataclasses look their module up
_spec.loader.exec_module(gate)

PO = r"""# header comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: templates/a.html:1
msgid "Opslaan"
msgstr "Save"

#: templates/a.html:2 agendas/x.py:3
msgid "Nog niet vertaald"
msgstr ""

#: agendas/x.py:9
#, fuzzy, python-format
#| msgid "Oud %(n)s"
msgid "Nieuw %(n)s"
msgstr "Old %(n)s"

#: agendas/x.py:10
#, python-format
msgid "%(n)s pagina"
msgid_plural "%(n)s pagina's"
msgstr[0] "%(n)s page"
msgstr[1] ""

#: agendas/x.py:11
msgctxt "button"
msgid ""
"Lange tekst over "
"twee regels"
msgstr ""
"Long text over "
"two lines"

#: agendas/x.py:12
msgid "%(n)s regel"
msgid_plural "%(n)s regels"
msgstr[0] "%(n)s line"
msgstr[1] "%(n)s lines"

#~ msgid "Weg"
#~ msgstr ""
"""


def test_parse_po_reads_entries_plurals_context_and_continuations():
    entries = {e.msgid: e for e in gate.parse_po(PO)}
    assert set(entries) == {
        "Opslaan",
        "Nog niet vertaald",
        "Nieuw %(n)s",
        "%(n)s pagina",
        "Lange tekst over twee regels",
        "%(n)s regel",
    }  # no header, no obsolete entry
    assert entries["Lange tekst over twee regels"].msgstr == {0: "Long text over two lines"}
    assert entries["Lange tekst over twee regels"].msgctxt == "button"
    assert entries["%(n)s pagina"].msgid_plural == "%(n)s pagina's"
    assert entries["Nog niet vertaald"].locations == ["templates/a.html:2", "agendas/x.py:3"]
    assert entries["Nieuw %(n)s"].fuzzy and not entries["Opslaan"].fuzzy


def test_gaps_are_empty_strings_empty_plural_forms_and_fuzzy_guesses():
    untranslated, fuzzy = gate.gaps(gate.parse_po(PO))
    assert [e.msgid for e in untranslated] == ["Nog niet vertaald", "%(n)s pagina"]
    assert [e.msgid for e in fuzzy] == ["Nieuw %(n)s"]


def test_a_complete_catalogue_has_no_gaps():
    complete = "\n\n".join(
        block
        for block in PO.split("\n\n")
        if "Nog niet" not in block and "fuzzy" not in block and "pagina" not in block
    )
    assert gate.gaps(gate.parse_po(complete)) == ([], [])


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="gettext tools missing: apt-get install -y gettext")
def test_gate_finds_a_new_string_in_a_fresh_catalogue_and_leaves_locale_alone(tmp_path, capsys):
    committed = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    before = hashlib.sha256(committed.read_bytes()).hexdigest()
    root = tmp_path / "project"
    root.mkdir()
    for name in gate.SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=gate.IGNORE)
        else:
            shutil.copy2(source, root / name)
    probe = "Deze zin staat nog in geen enkele catalogus 7f3a"
    (root / "templates" / "_catalogue_probe.html").write_text(
        '{% load i18n %}<p>{% translate "' + probe + '" %}</p>', encoding="utf-8"
    )
    assert gate.main(["--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"untranslated: '{probe}' (templates/_catalogue_probe.html:1)" in out
    assert hashlib.sha256(committed.read_bytes()).hexdigest() == before  # the committed catalogue is untouched
    assert probe not in (root / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()  # nor the copy
