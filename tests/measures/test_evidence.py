"""Evidence uploads: only real documents get in, nothing is left behind by a refusal, and files
go out only to members of their organisation, as attachments."""

import hashlib
import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from itaportal.accounts.models import Department, Organisation, User
from measures.models import Evidence, ProgressEntry
from measures.services import MeasureError
from measures.services import evidence as services
from measures.services.plan import MeasureData, measure_create, rounds_configure
from measures.services.progress import round_lock

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- files built in memory ----------------------------------------------------------------------


def pdf_bytes(padding: int = 0) -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"%" * padding + b"\ntrailer << >>\n%%EOF\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
    )


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "ผลการดำเนินงาน"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
DOCX_MEMBERS = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}
XLSX_MEMBERS = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}


def docx_bytes() -> bytes:
    return zip_bytes(DOCX_MEMBERS)


def patch_member(data: bytes, member: str, *, flag: int = 0, declared_size: int | None = None) -> bytes:
    """Rewrite a member's flag bits or declared size in both its local and central headers:
    what zipfile will not write but an attacker will."""
    out = bytearray(data)
    encoded = member.encode()
    at = out.find(b"PK\x03\x04")
    while at != -1:
        name_length = struct.unpack_from("<H", out, at + 26)[0]
        if out[at + 30 : at + 30 + name_length] == encoded:
            struct.pack_into("<H", out, at + 6, struct.unpack_from("<H", out, at + 6)[0] | flag)
            if declared_size is not None:
                struct.pack_into("<I", out, at + 22, declared_size)
        at = out.find(b"PK\x03\x04", at + 4)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_length] == encoded:
            struct.pack_into("<H", out, at + 8, struct.unpack_from("<H", out, at + 8)[0] | flag)
            if declared_size is not None:
                struct.pack_into("<I", out, at + 24, declared_size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


GOOD_FILES = {
    "pdf": ("คำสั่งแต่งตั้ง.pdf", pdf_bytes, "application/pdf"),
    "png": ("ภาพกิจกรรม.png", png_bytes, "image/png"),
    "jpeg": ("photo.JPG", jpeg_bytes, "image/jpeg"),
    "docx": ("รายงาน.docx", docx_bytes, DOCX_TYPE),
    "xlsx": ("งบประมาณ.xlsx", xlsx_bytes, XLSX_TYPE),
}


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def make_measure(slug: str, **data):
    organisation = Organisation.objects.get(slug=slug)
    defaults = {
        "kind": "measure",
        "title": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง",
        "steps": ["ประกาศบนเว็บไซต์"],
        "all_units": True,
    }
    return measure_create(
        organisation=organisation, fiscal_year=2568, data=MeasureData(**{**defaults, **data})
    )


@pytest.fixture
def measure():
    return make_measure("nasom")


@pytest.fixture
def rounds():
    return rounds_configure(
        organisation=Organisation.objects.get(slug="nasom"), fiscal_year=2568, scheme="half"
    )


@pytest.fixture
def first_round(rounds):
    return rounds[0]


@pytest.fixture
def staff():
    return User.objects.get(username="staff.nasom")


def add_file(measure, round, user, name, data):
    return services.evidence_add_file(
        measure=measure, round=round, user=user, upload=SimpleUploadedFile(name, data)
    )


def add_url(measure, round, slug="nasom"):
    return f"/o/{slug}/measures/m/{measure.pk}/r/{round.pk}/evidence/"


def download_url(evidence, slug="nasom"):
    return f"/o/{slug}/measures/evidence/{evidence.pk}/"


def remove_url(evidence, slug="nasom"):
    return f"/o/{slug}/measures/evidence/{evidence.pk}/remove/"


def refusal(call) -> str:
    with translation.override("en"), pytest.raises(MeasureError) as caught:
        call()
    return str(caught.value)


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\staff\\รายงานผล.pdf", "รายงานผล.pdf"),
        ("ผลการดำเนินงาน  ปี\t๒๕๖๘.pdf", "ผลการดำเนินงาน ปี ๒๕๖๘.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("..", "evidence"),
        ("\x00\x01", "evidence"),
        ("", "evidence"),
    ],
)
def test_names_are_sanitised_for_display(raw, shown):
    assert services.sanitise_name(raw) == shown


def test_a_long_name_is_cut_to_200_characters_keeping_its_extension():
    name = services.sanitise_name("ก" * 500 + ".pdf")
    assert len(name) == 200 and name.endswith("ก.pdf")


# --- the service: accepted files ----------------------------------------------------------------


@pytest.mark.parametrize("kind", GOOD_FILES)
def test_each_document_kind_is_accepted_by_its_content(measure, first_round, staff, media, kind):
    name, build, content_type = GOOD_FILES[kind]
    data = build()
    evidence = add_file(measure, first_round, staff, name, data)
    evidence.refresh_from_db()
    assert evidence.kind == Evidence.Kind.FILE and evidence.content_type == content_type
    assert evidence.original_name == name and evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert (
        evidence.uploaded_by == staff
        and evidence.entry.measure == measure
        and evidence.entry.round == first_round
    )
    [path] = stored_files(media)
    assert path.read_bytes() == data
    # The name on disk is random: nothing of what the person named it.
    assert path.parent == media / "evidence" / str(measure.organisation_id)
    assert name.rsplit(".", 1)[0] not in path.name and len(path.stem) == 32


def test_the_first_upload_creates_the_entry(measure, first_round, staff):
    assert not ProgressEntry.objects.filter(measure=measure).exists()
    add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    add_file(measure, first_round, staff, "b.pdf", pdf_bytes())
    assert ProgressEntry.objects.get(measure=measure, round=first_round).evidence.count() == 2


def test_a_document_misnamed_as_a_web_page_is_downloaded_with_its_real_extension(
    measure, first_round, staff, media
):
    evidence = add_file(measure, first_round, staff, "report.html", pdf_bytes())
    assert evidence.original_name == "report.html.pdf" and evidence.content_type == "application/pdf"
    assert stored_files(media)[0].suffix == ".pdf"


def test_a_path_traversal_name_is_stored_under_a_random_name_inside_media(measure, first_round, staff, media):
    for raw in ("../../etc/passwd.pdf", "..\\..\\windows\\passwd.pdf"):
        upload = File(io.BytesIO(pdf_bytes()), name=raw)
        evidence = services.evidence_add_file(measure=measure, round=first_round, user=staff, upload=upload)
        assert evidence.original_name == "passwd.pdf"
        assert evidence.file.name.startswith(f"evidence/{measure.organisation_id}/")
    paths = stored_files(media)
    assert len(paths) == 2
    assert all(p.resolve().is_relative_to((media / "evidence").resolve()) for p in paths)
    assert not (media.parent / "etc").exists() and not (media / "etc").exists()


# --- the service: hostile files, each refused with nothing stored -------------------------------


def bomb_xlsx() -> bytes:
    return zip_bytes({**XLSX_MEMBERS, "xl/media/image1.png": bytes(20 * 1024 * 1024)})


HOSTILE = {
    "executable named pdf": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "a program"),
    "linux executable named docx": ("report.docx", b"\x7fELF\x02\x01\x01" + bytes(200), "a program"),
    "script named png": ("photo.png", b"#!/bin/sh\nrm -rf /\n", "a program"),
    "svg named png": (
        "photo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG",
    ),
    "svg with a prolog": ("chart.svg", b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg/>', "SVG"),
    "html named pdf": (
        "order.pdf",
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        "SVG",
    ),
    "html without doctype": ("order.pdf", b"  \n<script>alert(1)</script>", "SVG"),
    "gif named jpg": ("photo.jpg", b"GIF89a\x01\x00\x01\x00" + bytes(20), "is not one of"),
    "plain text": ("notes.pdf", "บันทึกการประชุม".encode(), "is not one of"),
    "empty": ("empty.pdf", b"", "empty"),
    "zip bomb disguised as xlsx": ("งบประมาณ.xlsx", bomb_xlsx, "zip bomb"),
    "plain zip named xlsx": ("data.xlsx", lambda: zip_bytes({"data.csv": b"a,b\n"}), "is not one of"),
    "zip with both office parts": (
        "both.docx",
        lambda: zip_bytes({**DOCX_MEMBERS, **XLSX_MEMBERS}),
        "is not one of",
    ),
    "zip member escaping upwards": (
        "a.xlsx",
        lambda: zip_bytes({**XLSX_MEMBERS, "../../evil.sh": b"x"}),
        "outside",
    ),
    "zip member with absolute path": (
        "a.xlsx",
        lambda: zip_bytes({**XLSX_MEMBERS, "/etc/cron.d/x": b"x"}),
        "outside",
    ),
    "zip member with a drive": (
        "a.docx",
        lambda: zip_bytes({**DOCX_MEMBERS, "C:/evil.bat": b"x"}),
        "outside",
    ),
    "encrypted zip member": (
        "secret.docx",
        lambda: patch_member(docx_bytes(), "word/document.xml", flag=0x1),
        "password",
    ),
    "zip whose sizes lie": (
        "liar.xlsx",
        lambda: patch_member(
            zip_bytes({**XLSX_MEMBERS, "xl/sheet.xml": b"<row/>" * 500}), "xl/sheet.xml", declared_size=10
        ),
        "damaged",
    ),
    "truncated zip": ("cut.docx", lambda: docx_bytes()[:60], "damaged"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_uploads_are_refused_with_nothing_stored(measure, first_round, staff, media, case):
    name, data, reason = HOSTILE[case]
    data = data() if callable(data) else data
    message = refusal(lambda: add_file(measure, first_round, staff, name, data))
    assert f"“{name}”" in message and reason in message
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_nul_in_the_name_is_refused(measure, first_round, staff, media):
    upload = File(io.BytesIO(pdf_bytes()), name="invoice.exe\x00.pdf")
    message = refusal(
        lambda: services.evidence_add_file(measure=measure, round=first_round, user=staff, upload=upload)
    )
    assert "“invoice.exe.pdf”" in message and "NUL" in message
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_file_over_the_limit_is_refused(measure, first_round, staff, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_SIZE", 1000)
    add_file(measure, first_round, staff, "small.pdf", pdf_bytes(padding=900))
    message = refusal(lambda: add_file(measure, first_round, staff, "big.pdf", pdf_bytes(padding=1000)))
    assert "“big.pdf”" in message and "larger than" in message
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1


def test_an_entry_over_its_total_is_refused(measure, rounds, staff, media, monkeypatch):
    first_round = rounds[0]
    monkeypatch.setattr(services, "MAX_ENTRY_SIZE", 2500)
    add_file(measure, first_round, staff, "one.pdf", pdf_bytes(padding=1000))
    add_file(measure, first_round, staff, "two.pdf", pdf_bytes(padding=1000))
    message = refusal(lambda: add_file(measure, first_round, staff, "three.pdf", pdf_bytes(padding=1000)))
    assert "“three.pdf”" in message and "in all" in message
    assert Evidence.objects.count() == 2 and len(stored_files(media)) == 2
    # Another round is another entry, with its own total.
    add_file(measure, rounds[1], staff, "three.pdf", pdf_bytes(padding=1000))


def test_a_zip_expanding_beyond_the_limit_is_refused(measure, first_round, staff, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_ZIP_UNCOMPRESSED", 1000)
    data = zip_bytes({**DOCX_MEMBERS, "word/media/image1.png": bytes(range(256)) * 8})
    message = refusal(lambda: add_file(measure, first_round, staff, "big.docx", data))
    assert "zip bomb" in message and not Evidence.objects.exists() and stored_files(media) == []


def test_a_file_whose_row_cannot_be_saved_leaves_no_file(measure, first_round, staff, media, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(RuntimeError):
        add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    assert stored_files(media) == []


def test_nothing_is_added_to_a_locked_round(measure, first_round, staff, media):
    round_lock(round=first_round)
    assert "approved" in refusal(lambda: add_file(measure, first_round, staff, "a.pdf", pdf_bytes()))

    def link():
        return services.evidence_add_link(
            measure=measure, round=first_round, user=staff, url="https://nasom.go.th/", title=""
        )

    assert "approved" in refusal(link)
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_round_of_another_year_is_refused(measure, staff):
    other = rounds_configure(organisation=measure.organisation, fiscal_year=2567, scheme="half")[0]
    assert "fiscal year" in refusal(lambda: add_file(measure, other, staff, "a.pdf", pdf_bytes()))
    assert not Evidence.objects.exists()


# --- the service: links and removal -------------------------------------------------------------


def test_a_link_is_added(measure, first_round, staff):
    evidence = services.evidence_add_link(
        measure=measure,
        round=first_round,
        user=staff,
        url=" https://www.nasom.go.th/news/12 ",
        title="  ข่าว   ประชาสัมพันธ์ ",
    )
    assert evidence.kind == Evidence.Kind.LINK and evidence.url == "https://www.nasom.go.th/news/12"
    assert evidence.title == "ข่าว ประชาสัมพันธ์" and not evidence.file


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript://%0aalert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://nasom.go.th/file.pdf",
        "nasom.go.th",
        "https://",
        "https://nasom.go.th/" + "a" * 1000,
    ],
)
def test_links_other_than_http_are_refused(measure, first_round, staff, url):
    with pytest.raises(MeasureError):
        services.evidence_add_link(measure=measure, round=first_round, user=staff, url=url, title="")
    assert not Evidence.objects.exists()


def test_removal_deletes_the_file_after_commit(
    measure, first_round, staff, media, django_capture_on_commit_callbacks
):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    [path] = stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=evidence, user=staff)
    assert not Evidence.objects.exists() and not path.exists()


def test_nothing_is_removed_from_a_locked_round(measure, first_round, staff, media):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    round_lock(round=first_round)
    assert "approved" in refusal(lambda: services.evidence_remove(evidence=evidence, user=staff))
    assert Evidence.objects.filter(pk=evidence.pk).exists() and len(stored_files(media)) == 1


# --- the views ----------------------------------------------------------------------------------


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("kind", GOOD_FILES)
def test_an_upload_is_downloaded_by_an_auditor_as_an_attachment(login, measure, first_round, kind):
    name, build, content_type = GOOD_FILES[kind]
    data = build()
    response = login("staff.nasom").post(
        add_url(measure, first_round),
        {"kind": "file", "file": SimpleUploadedFile(name, data, content_type="text/html")},
    )
    expected = f"/o/nasom/measures/m/{measure.pk}/r/{first_round.pk}/#evidence-{measure.pk}-{first_round.pk}"
    assert response.status_code == 302 and response["Location"] == expected
    evidence = Evidence.objects.get()
    assert evidence.content_type == content_type
    response = login("auditor.nasom").get(download_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "utf-8''" in response["Content-Disposition"]
        or f'filename="{name}"' in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_a_thai_name_is_encoded_in_the_download(login, measure, first_round, staff):
    evidence = add_file(measure, first_round, staff, "คำสั่ง ที่ ๑๒.pdf", pdf_bytes())
    response = login("head.nasom").get(download_url(evidence))
    assert "filename*=utf-8''%E0%B8%84" in response["Content-Disposition"]


def test_an_htmx_upload_returns_the_refreshed_partial(login, measure, first_round):
    response = login("staff.nasom").post(
        add_url(measure, first_round),
        {"kind": "file", "file": SimpleUploadedFile("ภาพกิจกรรม.png", png_bytes())},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="evidence-{measure.pk}-{first_round.pk}"' in html and "ภาพกิจกรรม.png" in html
    assert f"/o/nasom/measures/evidence/{Evidence.objects.get().pk}/remove/" in html


def test_a_refused_upload_says_why_and_stores_nothing(login, measure, first_round, media):
    client = login("staff.nasom")
    response = client.post(
        add_url(measure, first_round),
        {"kind": "file", "file": SimpleUploadedFile("คำสั่ง.pdf", b"MZ" + bytes(100))},
    )
    assert response.status_code == 302
    assert any("“คำสั่ง.pdf”" in text for text in message_texts(response))
    response = client.post(
        add_url(measure, first_round),
        {"kind": "file", "file": SimpleUploadedFile("ภาพ.png", b"<svg onload=alert(1)>")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "“ภาพ.png”" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_refused_link_is_kept_in_the_form(login, measure, first_round):
    response = login("staff.nasom").post(
        add_url(measure, first_round),
        {"kind": "link", "url": "javascript:alert(1)", "title": "ประกาศ"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="javascript:alert(1)"' in html and 'value="ประกาศ"' in html
    assert 'role="alert"' in html and not Evidence.objects.exists()


def test_a_link_is_added_and_shown_as_a_link(login, measure, first_round):
    client = login("staff.nasom")
    response = client.post(
        add_url(measure, first_round),
        {"kind": "link", "url": "https://www.nasom.go.th/oit/43", "title": "o43"},
        HTTP_HX_REQUEST="true",
    )
    assert 'href="https://www.nasom.go.th/oit/43"' in response.content.decode()
    evidence = Evidence.objects.get()
    assert client.get(download_url(evidence)).status_code == 404


def test_a_post_without_the_file_says_so(login, measure, first_round):
    response = login("staff.nasom").post(add_url(measure, first_round), {"kind": "file"})
    assert response.status_code == 302 and message_texts(response) and not Evidence.objects.exists()


@pytest.mark.parametrize("username", ["auditor.nasom", "head.nasom", "nayok.nasom"])
def test_readers_cannot_add_or_remove(login, measure, first_round, staff, username, media):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    client = login(username)
    data = {"kind": "file", "file": SimpleUploadedFile("b.pdf", pdf_bytes())}
    assert client.post(add_url(measure, first_round), data).status_code == 403
    assert client.post(remove_url(evidence)).status_code == 403
    assert list(Evidence.objects.all()) == [evidence] and len(stored_files(media)) == 1


def test_staff_of_another_unit_cannot_add_or_remove(login, first_round, media):
    finance = Department.objects.get(organisation__slug="nasom", name="กองคลัง")
    measure = make_measure("nasom", all_units=False, departments=[finance])
    client = login("admin.nasom")
    assert (
        client.post(
            add_url(measure, first_round), {"kind": "link", "url": "https://nasom.go.th/"}
        ).status_code
        == 302
    )
    evidence = Evidence.objects.get()
    client = login("staff.nasom")
    data = {"kind": "file", "file": SimpleUploadedFile("b.pdf", pdf_bytes())}
    assert client.post(add_url(measure, first_round), data).status_code == 403
    assert client.post(remove_url(evidence)).status_code == 403
    assert list(Evidence.objects.all()) == [evidence] and stored_files(media) == []


def test_another_organisations_evidence_is_404_even_with_a_guessed_id(login, first_round, media):
    measure = make_measure("phusang")
    round = rounds_configure(organisation=measure.organisation, fiscal_year=2568, scheme="half")[0]
    evidence = add_file(measure, round, User.objects.get(username="staff.phusang"), "secret.pdf", pdf_bytes())
    client = login("staff.nasom")
    assert client.get(download_url(evidence)).status_code == 404
    assert client.post(remove_url(evidence)).status_code == 404
    assert client.get(download_url(evidence, slug="phusang")).status_code == 404
    data = {"kind": "file", "file": SimpleUploadedFile("b.pdf", pdf_bytes())}
    assert client.post(add_url(measure, round), data).status_code == 404
    assert client.post(add_url(measure, first_round), data).status_code == 404
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1


def test_a_round_of_another_year_is_404(login, measure):
    other = rounds_configure(organisation=measure.organisation, fiscal_year=2567, scheme="half")[0]
    data = {"kind": "file", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    assert login("staff.nasom").post(add_url(measure, other), data).status_code == 404


def test_downloads_need_a_login(client, measure, first_round, staff):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    response = client.get(download_url(evidence))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_adding_to_a_locked_round_is_refused(login, measure, first_round, media):
    round_lock(round=first_round)
    response = login("staff.nasom").post(
        add_url(measure, first_round), {"kind": "file", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 302 and message_texts(response)
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_the_partial_of_a_locked_round_offers_no_forms(login, measure, first_round, staff):
    add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    round_lock(round=first_round)
    response = login("staff.nasom").post(remove_url(Evidence.objects.get()), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert 'name="file"' not in html and "/remove/" not in html and Evidence.objects.exists()


def test_removal_through_the_page_deletes_the_file(
    login, measure, first_round, staff, media, django_capture_on_commit_callbacks
):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = login("admin.nasom").post(remove_url(evidence))
    assert response.status_code == 302 and response["Location"].startswith(
        f"/o/nasom/measures/m/{measure.pk}/"
    )
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_add_and_remove_reject_get(login, measure, first_round, staff):
    evidence = add_file(measure, first_round, staff, "a.pdf", pdf_bytes())
    client = login("staff.nasom")
    assert client.get(add_url(measure, first_round)).status_code == 405
    assert client.get(remove_url(evidence)).status_code == 405
    assert client.post(download_url(evidence)).status_code == 405


def test_the_progress_page_lists_the_evidence_and_its_forms(login, measure, first_round, staff):
    evidence = add_file(measure, first_round, staff, "คำสั่ง.pdf", pdf_bytes())
    services.evidence_add_link(
        measure=measure, round=first_round, user=staff, url="https://www.nasom.go.th/oit", title="ประกาศ"
    )
    html = login("staff.nasom").get(f"/o/nasom/measures/m/{measure.pk}/r/{first_round.pk}/").content.decode()
    assert f'href="{download_url(evidence)}"' in html and "คำสั่ง.pdf" in html
    assert 'href="https://www.nasom.go.th/oit"' in html and "ประกาศ" in html
    assert f'action="{add_url(measure, first_round)}"' in html and 'name="file"' in html
