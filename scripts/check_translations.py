"""English complete, and kept complete (issue 12): does the English catalogue cover every string of the code?

Copies the code and the committed catalogue to a temporary folder, runs ``makemessages -l en`` THERE (the
committed ``locale/`` is never touched), and fails on any entry of the fresh catalogue that is untranslated
(an empty msgstr, or an empty plural form) or fuzzy (a guess by msgmerge that nobody has checked). Obsolete
entries (``#~``) do not count.

Usage: ``scripts/check-translations [--language en] [--root DIR]``; exit code 1 lists each gap with its
source locations. Needs the gettext tools (Debian: ``apt-get install -y gettext``), as makemessages does.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# What makemessages reads: the apps, the templates and the project package, plus manage.py and the catalogue.
SOURCES = ("accounts", "agendas", "kansenagenda", "reports", "templates", "manage.py", "locale")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "node_modules")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    locations: list[str] = field(default_factory=list)

    @property
    def untranslated(self) -> bool:
        forms = self.msgstr.values()
        return not forms or any(not text for text in forms)

    def describe(self) -> str:
        where = ", ".join(self.locations[:3]) + (" …" if len(self.locations) > 3 else "")
        context = f" [{self.msgctxt}]" if self.msgctxt else ""
        return f"{self.msgid!r}{context} ({where or 'no location'})"


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def _parse_block(lines: list[str]) -> Entry | None:
    entry = Entry()
    target: tuple[str, int] | None = None  # the string that continuation lines ("...") extend
    for line in lines:
        if line.startswith("#~"):
            return None  # obsolete
        if line.startswith("#,"):
            entry.fuzzy = "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#:"):
            entry.locations.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(entry, keyword, _unquote(rest))
                target = (keyword, 0)
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstr[index] = _unquote(rest)
                target = ("msgstr", index)
    return entry if entry.msgid else None  # the header has an empty msgid


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (the header and obsolete ``#~`` entries left out). Entries are separated by
    blank lines, as makemessages and msgmerge write them."""
    entries = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        entry = _parse_block(lines) if lines else None
        if entry is not None:
            entries.append(entry)
    return entries


def gaps(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(untranslated, fuzzy). A fuzzy entry counts as fuzzy even when it has a (guessed) translation."""
    fuzzy = [e for e in entries if e.fuzzy]
    untranslated = [e for e in entries if not e.fuzzy and e.untranslated]
    return untranslated, fuzzy


def fresh_catalogue(root: Path, language: str, workdir: Path) -> str:
    """Run makemessages on a copy of the code in ``workdir``; return the text of the fresh .po file."""
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, workdir / name, ignore=IGNORE)
        elif source.exists():
            shutil.copy2(source, workdir / name)
    (workdir / "locale").mkdir(exist_ok=True)
    (workdir / "var").mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("CATALOGUE_SETTINGS", "kansenagenda.settings.test")}
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - a fixed command: this interpreter, manage.py, a language code
        [sys.executable, "manage.py", "makemessages", "--locale", language, "--no-wrap", "--verbosity", "0"],
        cwd=workdir,
        env=env,
        check=True,
    )
    return (workdir / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ka-catalogue-") as tmp:
        entries = parse_po(fresh_catalogue(args.root, args.language, Path(tmp)))
    untranslated, fuzzy = gaps(entries)
    for entry in untranslated:
        print(f"untranslated: {entry.describe()}")
    for entry in fuzzy:
        print(f"fuzzy: {entry.describe()}")
    print(
        f"» Catalogue '{args.language}': {len(entries)} entries, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
    )
    return 1 if untranslated or fuzzy else 0


if __name__ == "__main__":
    sys.exit(main())
