"""Evidence of a progress entry: uploaded files, checked by their content, and links.

A file is accepted only when its bytes prove it is one of a few document kinds; the name
and the content type that the browser sends are never believed. Everything is checked
before anything is written, so a refused file leaves neither a row nor a file behind.
"""

import hashlib
import logging
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaportal.accounts.models import User

from ..models import Evidence, Measure, ProgressEntry, ReportingRound
from . import MeasureError, record

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ENTRY_SIZE = 50 * 1024 * 1024
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
# A member smaller than this cannot hurt anybody, and small XML full of repeated markup
# legitimately compresses beyond the ratio.
ZIP_RATIO_FLOOR = 1024 * 1024
# A Word or Excel file has tens of parts, a few thousand with many pictures.
MAX_ZIP_MEMBERS = 5000
MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 1000
MAX_TITLE_LENGTH = 255
CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    suffixes: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("PNG", "image/png", (".png",))
DOCX = FileKind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))

SIGNATURES = [(b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG)]
ZIP_SIGNATURE = b"PK\x03\x04"
OFFICE_PARTS = [("word/document.xml", DOCX), ("xl/workbook.xml", XLSX)]
# Windows, Linux and macOS programs, and scripts.
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
MARKUP_MARKERS = (b"<?xml", b"<svg", b"<!doctype", b"<html", b"<script", b"<body", b"<iframe")
ACCEPTED = gettext_lazy("PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX)")


def sanitise_name(name: str) -> str:
    """The original name fit for display and for the download: the base name only, without
    control characters (NUL, bidirectional overrides that disguise `exe.pdf`…), whitespace
    collapsed, at most MAX_NAME_LENGTH characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    # Leading dots hide a file on the desktop that downloads it.
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "evidence"
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name


def _display_name(name: str, kind: FileKind) -> str:
    """The sanitised name ending in the extension of what the file really is, so that the
    desktop never opens a PDF that was named `.html` as a web page."""
    if PurePosixPath(name).suffix.lower() in kind.suffixes:
        return name
    suffix = kind.suffixes[0]
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix


@dataclass
class _Scan:
    size: int
    sha256: str
    head: bytes


# Why a file was refused, each naming it: the person sees the reason next to the file they chose.
REFUSALS = {
    "nul": gettext_lazy(
        "“%(name)s” was refused: its name hides a NUL character, a trick to disguise what kind of file it is."
    ),
    "empty": gettext_lazy("“%(name)s” was refused: the file is empty."),
    "too_large": gettext_lazy(
        "“%(name)s” was refused: it is larger than %(limit)s, the most a single file may be."
    ),
    "entry_full": gettext_lazy(
        "“%(name)s” was refused: with it the evidence of this entry would come to %(total)s, more than the "
        "%(limit)s allowed in all. Remove a file or upload a smaller one."
    ),
    "program": gettext_lazy(
        "“%(name)s” was refused: it is a program, not a document. Only %(accepted)s files are accepted."
    ),
    "markup": gettext_lazy(
        "“%(name)s” was refused: it is an SVG image or a web page, which can carry scripts. "
        "Save it as PDF or PNG and upload that."
    ),
    "unknown": gettext_lazy(
        "“%(name)s” was refused: its content is not one of %(accepted)s, whatever its name says."
    ),
    "damaged": gettext_lazy("“%(name)s” was refused: the file is damaged and cannot be opened."),
    "too_many_parts": gettext_lazy(
        "“%(name)s” was refused: it holds more than %(count)s parts, far more than a document has."
    ),
    "encrypted": gettext_lazy(
        "“%(name)s” was refused: it is protected by a password. Remove the password and upload it again."
    ),
    "unsafe_path": gettext_lazy(
        "“%(name)s” was refused: it contains a part whose path leads outside the document (%(member)s)."
    ),
    "expands": gettext_lazy(
        "“%(name)s” was refused: it would expand to more than %(limit)s when opened, "
        "which is how a “zip bomb” attacks a computer."
    ),
    "ratio": gettext_lazy(
        "“%(name)s” was refused: one of its parts is compressed more than %(ratio)s times, "
        "which is how a “zip bomb” attacks a computer."
    ),
}


def _refuse(reason: str, name: str, **params) -> MeasureError:
    return MeasureError(str(REFUSALS[reason]) % {"name": name, "accepted": ACCEPTED, **params})


def _scan(upload: File, name: str) -> _Scan:
    """Read the whole upload once, in chunks: its size, its hash and its first bytes."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in upload.chunks(CHUNK_SIZE):
        size += len(chunk)
        if size > MAX_FILE_SIZE:
            raise _refuse("too_large", name, limit=filesizeformat(MAX_FILE_SIZE))
        digest.update(chunk)
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
    if size == 0:
        raise _refuse("empty", name)
    return _Scan(size=size, sha256=digest.hexdigest(), head=head)


def _is_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in text for marker in MARKUP_MARKERS)


def _unsafe_member_path(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(re.match(r"^[A-Za-z]:", path)) or ".." in path.split("/")


def _check_archive(archive: zipfile.ZipFile, name: str) -> FileKind:
    """A DOCX or XLSX is a ZIP: refuse what could harm whoever opens it (a zip bomb, parts that
    escape their folder when extracted, encrypted parts that cannot be checked)."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _refuse("too_many_parts", name, count=MAX_ZIP_MEMBERS)
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse("encrypted", name)
        if _unsafe_member_path(info.filename):
            raise _refuse("unsafe_path", name, member=info.filename[:100])
    if sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED:
        raise _refuse("expands", name, limit=filesizeformat(MAX_ZIP_UNCOMPRESSED))
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _refuse("ratio", name, ratio=MAX_ZIP_RATIO)
    names = {info.filename for info in infos}
    kinds = [kind for part, kind in OFFICE_PARTS if part in names]
    if "[Content_Types].xml" not in names or len(kinds) != 1:
        raise _refuse("unknown", name)
    # The sizes above are what the file declares: unpacking it (bounded by them) proves them
    # true, since a part that unpacks to more fails its checksum.
    for info in infos:
        with archive.open(info) as member:
            while member.read(CHUNK_SIZE):
                pass
    return kinds[0]


def _check_office(upload: File, name: str) -> FileKind:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return _check_archive(archive, name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
        raise _refuse("damaged", name) from None


def detect_kind(upload: File, name: str, head: bytes) -> FileKind:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(ZIP_SIGNATURE):
        return _check_office(upload, name)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise _refuse("program", name)
    if _is_markup(head):
        raise _refuse("markup", name)
    raise _refuse("unknown", name)


def _open_entry(measure: Measure, round: ReportingRound) -> ProgressEntry:
    """The entry, locked, once the round is known to be open: an approval committed a moment
    ago wins over this change, and two uploads to one entry count its total one after the other."""
    round = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if measure.organisation_id != round.organisation_id or measure.fiscal_year != round.fiscal_year:
        raise MeasureError(_("This round is not in the measure's fiscal year."))
    if round.is_locked:
        raise MeasureError(_("This round's report is approved; its evidence can no longer change."))
    entry, _created = ProgressEntry.objects.get_or_create(measure=measure, round=round)
    return ProgressEntry.objects.select_for_update().select_related("measure").get(pk=entry.pk)


def _record(entry: ProgressEntry, evidence: Evidence, action: str, user: User) -> None:
    """On the progress entry, which outlives its evidence: a removal is told where the page still is."""
    data = {
        "year": entry.round.fiscal_year, "measure": entry.measure.number, "round": entry.round.name,
        "evidence": evidence.pk, "kind": evidence.kind,
        "name": evidence.original_name if evidence.kind == Evidence.Kind.FILE else evidence.url,
    }
    if evidence.sha256:
        data["sha256"] = evidence.sha256
    record(organisation=entry.measure.organisation, action=action, target=entry, user=user, data=data)


def evidence_add_file(*, measure: Measure, round: ReportingRound, user: User, upload: File) -> Evidence:
    raw_name = upload.name or ""
    name = sanitise_name(raw_name)
    if "\x00" in raw_name:
        raise _refuse("nul", name)
    scan = _scan(upload, name)
    kind = detect_kind(upload, name, scan.head)
    stored = ""
    try:
        with transaction.atomic():
            entry = _open_entry(measure, round)
            used = entry.evidence.filter(kind=Evidence.Kind.FILE).aggregate(total=Sum("size"))["total"] or 0
            if used + scan.size > MAX_ENTRY_SIZE:
                total, limit = filesizeformat(used + scan.size), filesizeformat(MAX_ENTRY_SIZE)
                raise _refuse("entry_full", name, total=total, limit=limit)
            evidence = Evidence(
                entry=entry,
                kind=Evidence.Kind.FILE,
                original_name=_display_name(name, kind),
                content_type=kind.content_type,
                size=scan.size,
                sha256=scan.sha256,
                uploaded_by=user,
            )
            # The stored name is random (see `evidence_path`); only the extension of the real kind is kept.
            evidence.file.save(f"evidence{kind.suffixes[0]}", upload, save=False)
            stored = evidence.file.name
            evidence.save()
            _record(entry, evidence, "ita.evidence.added", user)
    except BaseException:
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    shown = url[:100]
    if len(url) > MAX_URL_LENGTH:
        raise MeasureError(
            _("The link was refused: it is longer than %(limit)s characters.") % {"limit": MAX_URL_LENGTH}
        )
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        raise MeasureError(
            _("“%(url)s” was refused: a link must start with http:// or https://.") % {"url": shown}
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise MeasureError(
            _("“%(url)s” was refused: it is not a valid web address.") % {"url": shown}
        ) from None
    return url


@transaction.atomic
def evidence_add_link(
    *, measure: Measure, round: ReportingRound, user: User, url: str, title: str
) -> Evidence:
    url = _clean_url(url)
    entry = _open_entry(measure, round)
    evidence = Evidence.objects.create(
        entry=entry,
        kind=Evidence.Kind.LINK,
        url=url,
        title=" ".join((title or "").split())[:MAX_TITLE_LENGTH],
        uploaded_by=user,
    )
    _record(entry, evidence, "ita.evidence.added", user)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    entry = evidence.entry
    entry = _open_entry(entry.measure, entry.round)
    pk = evidence.pk
    stored = evidence.file.name if evidence.kind == Evidence.Kind.FILE else ""
    storage = evidence.file.storage
    _record(entry, evidence, "ita.evidence.removed", user)
    evidence.delete()
    logger.info("Evidence %s of entry %s removed by %s", pk, entry.pk, user.username)
    if stored:
        # Only once the row is gone for good: a rolled-back removal keeps its file.
        transaction.on_commit(lambda: storage.delete(stored))
