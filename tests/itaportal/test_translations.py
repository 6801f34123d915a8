"""The Thai catalogue is complete: every message is translated, and every message in the code is in it.

Thai is the default language, so a missing or empty entry shows English to every office. The
catalogue is checked in two ways:

* the committed ``locale/th/LC_MESSAGES/django.po`` has a non-empty, non-fuzzy ``msgstr`` for
  every entry, with the same placeholders as its ``msgid``;
* running ``makemessages`` over a copy of the sources finds no ``msgid`` that the committed
  catalogue lacks (and none that the committed catalogue still carries after the code dropped it).

``makemessages`` runs on a temporary copy of the project with ``LOCALE_PATHS`` pointing into that
copy, so the committed catalogue is never touched; the test also checks that it was not.
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"

# The same exclusions as the documented command:
#   manage.py makemessages -l th --ignore=.venv --ignore=var --ignore=tests --no-obsolete
IGNORED = [".venv", "var", "tests", "test-artifacts"]
# Never copied: the committed catalogues, VCS data and caches.
NOT_COPIED = {*IGNORED, "locale", ".git", ".pytest_cache", "node_modules", "__pycache__"}


# --- a small .po parser -------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), token[1:-1])


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (the entry whose msgid is "")."""
    entries: list[Entry] = []
    current: Entry | None = None
    has_msgid = False  # the current entry already has its msgid: a comment, msgctxt or msgid opens the next
    target: tuple[str, int | None] | None = None  # what continuation lines ("...") append to

    def new_entry(lineno: int) -> Entry:
        nonlocal current, has_msgid
        if current is None or has_msgid:
            if current is not None:
                entries.append(current)
            current, has_msgid = Entry(line=lineno), False
        return current

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path.name}:{lineno}"
        if not line:
            target = None
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            entry = new_entry(lineno)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            target = None
            continue

        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{where}: continuation line outside a string")
            attr, index = target
            text = _unquote(line, where)
            if index is None:
                setattr(current, attr, getattr(current, attr) + text)
            else:
                current.msgstr[index] += text
            continue

        keyword, _, rest = line.partition(" ")
        entry = new_entry(lineno) if keyword in ("msgctxt", "msgid") else current
        if entry is None or (keyword not in ("msgctxt", "msgid") and not has_msgid):
            raise ValueError(f"{where}: {keyword} before any msgid")
        entry.obsolete = entry.obsolete or obsolete
        value = _unquote(rest, where)
        if keyword == "msgctxt":
            entry.msgctxt, target = value, ("msgctxt", None)
        elif keyword == "msgid":
            entry.msgid, target = value, ("msgid", None)
            has_msgid = True
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, ("msgid_plural", None)
        elif keyword == "msgstr":
            entry.msgstr[0], target = value, ("msgstr", 0)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            index = int(m.group(1))
            entry.msgstr[index], target = value, ("msgstr", index)
        else:
            raise ValueError(f"{where}: unknown keyword {keyword!r}")
    if current is not None:
        entries.append(current)
    return entries


def translations(path: Path | None = None) -> list[Entry]:
    """The messages of a catalogue (the committed one by default), without the header and #~ entries."""
    return [e for e in parse_po(path or PO_FILE) if e.msgid != "" and not e.obsolete]


def header(path: Path | None = None) -> Entry:
    return next(e for e in parse_po(path or PO_FILE) if e.msgid == "" and e.msgctxt is None)


# --- the committed catalogue ----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[#0\- +]*\d*(?:\.\d+)?[sdifrx]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


def test_the_parser_reads_multiline_and_plural_entries(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: th\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"one %(n)s "\n"two"\nmsgstr "หนึ่ง %(n)s สอง"\n\n'
        'msgctxt "menu"\nmsgid "File"\nmsgid_plural "Files"\nmsgstr[0] ""\n"แฟ้ม"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "หาย"\n',
        encoding="utf-8",
    )
    entries = parse_po(sample)
    assert [e.msgid for e in entries] == ["", "one %(n)s two", "File", "Gone"]
    assert entries[1].flags == {"fuzzy", "python-format"} and entries[1].msgstr == {0: "หนึ่ง %(n)s สอง"}
    assert (entries[2].msgctxt, entries[2].msgid_plural, entries[2].msgstr) == ("menu", "Files", {0: "แฟ้ม"})
    assert entries[3].obsolete
    assert [e.msgid for e in translations(sample)] == ["one %(n)s two", "File"]


def test_the_header_declares_thai_with_one_plural_form():
    entry = header()
    assert "fuzzy" not in entry.flags, "remove '#, fuzzy' from the header, or Django ignores the catalogue"
    meta = dict(line.split(": ", 1) for line in entry.msgstr[0].splitlines() if ": " in line)
    assert meta.get("Language") == "th"
    assert meta.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert meta.get("Content-Type") == "text/plain; charset=UTF-8"
    assert meta.get("Language-Team") and "LANGUAGE" not in meta["Language-Team"]


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = translations()
    assert entries, f"no messages in {PO_FILE}"
    fuzzy = [e.label() for e in entries if "fuzzy" in e.flags]
    empty = [e.label() for e in entries if not e.msgstr or any(not s.strip() for s in e.msgstr.values())]
    # Thai has one plural form: a plural entry carries exactly msgstr[0].
    wrong_plurals = [e.label() for e in entries if e.msgid_plural is not None and sorted(e.msgstr) != [0]]
    problems = (
        [f"fuzzy: {x}" for x in fuzzy]
        + [f"empty: {x}" for x in empty]
        + [f"plural forms: {x}" for x in wrong_plurals]
    )
    assert not problems, f"{len(problems)} untranslated entries in {PO_FILE}:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_and_markup():
    wrong = []
    for entry in translations():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for index, text in entry.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{entry.label()} msgstr[{index}] = {text!r}")
    assert not wrong, "placeholders or HTML differ from the msgid:\n" + "\n".join(wrong)


# --- the catalogue against the code ---------------------------------------------------------------


def _copy_sources(destination: Path) -> None:
    def ignore(directory, names):
        return [name for name in names if name in NOT_COPIED or name.endswith((".pyc", ".mo"))]

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """The messages `makemessages -l th` finds in the current code, extracted into a throwaway copy."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext's xgettext is not installed, so makemessages cannot run")
    before = PO_FILE.read_bytes()
    copy = tmp_path_factory.mktemp("makemessages") / "project"
    _copy_sources(copy)
    locale_dir = copy / "locale"
    (locale_dir / "th" / "LC_MESSAGES").mkdir(parents=True)
    # makemessages writes into LOCALE_PATHS and into the current directory's locale/: both point
    # into the copy. STATIC_ROOT/MEDIA_ROOT are only used to skip collected files.
    with override_settings(LOCALE_PATHS=[str(locale_dir)]), pytest.MonkeyPatch.context() as mp:
        mp.chdir(copy)
        call_command(
            "makemessages",
            locale=["th"],
            ignore_patterns=list(IGNORED),
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )
    assert PO_FILE.read_bytes() == before, "makemessages must not touch the committed catalogue"
    generated = locale_dir / "th" / "LC_MESSAGES" / "django.po"
    assert generated.exists(), f"makemessages wrote no catalogue under {locale_dir}"
    assert settings.LOCALE_PATHS != [str(locale_dir)]
    return translations(generated)


def _describe(keys) -> str:
    ordered = sorted(keys, key=lambda key: (key[1], key[0] or ""))
    return "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid in ordered)


def test_the_catalogue_has_every_message_of_the_code(extracted):
    committed = {e.key for e in translations()}
    missing = {e.key for e in extracted} - committed
    assert not missing, (
        f"{len(missing)} msgids are in the code but not in {PO_FILE.relative_to(ROOT)}; run\n"
        "  manage.py makemessages -l th --ignore=.venv --ignore=var --ignore=tests --no-obsolete\n"
        "then translate them:\n" + _describe(missing)
    )


def test_the_catalogue_has_no_message_the_code_dropped(extracted):
    stale = {e.key for e in translations()} - {e.key for e in extracted}
    assert not stale, (
        f"{len(stale)} msgids of {PO_FILE.relative_to(ROOT)} are no longer in the code; rerun makemessages "
        "with --no-obsolete:\n" + _describe(stale)
    )


def test_plural_entries_match_the_code(extracted):
    committed = {e.key: e.msgid_plural for e in translations()}
    differ = [
        f"  {e.msgid!r}: code has plural {e.msgid_plural!r}, catalogue has {committed[e.key]!r}"
        for e in extracted
        if e.key in committed and committed[e.key] != e.msgid_plural
    ]
    assert not differ, "plural forms changed in the code:\n" + "\n".join(differ)
