"""`manage.py import_scores` and `manage.py generate_score_file`."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from assessments.models import Assessment, ToolScore
from assessments.scoring import evaluate_level
from assessments.services import load_framework
from itaportal.accounts.models import Organisation

from .test_importing import FORMULA, FRAMEWORK, csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["organisation", "fiscal_year", "overall", "ind_1", "IIT"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def framework(tmp_path):
    path = tmp_path / "fy2590.yaml"
    path.write_text(FRAMEWORK.format(year=2590, oit_item="o1"), encoding="utf-8")
    return load_framework(path=path)[0]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_scores", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_bad_file_exits_non_zero_listing_every_cell(framework, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(
        csv_bytes(
            [
                HEADER,
                ["phusang", "2590", "90", "91", "90"],
                ["nasom", "2590", "90", "101", "=1+1"],
                ["x", "2590"],
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_scores", str(path), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert "Errors: 3. Nothing was imported" in str(raised.value)
    assert err.getvalue().splitlines() == [
        "row 3, column D (ind_1): A score is between 0 and 100.",
        f"row 3, column E (IIT): {FORMULA}",
        "row 4, column A (organisation): No organisation matches “x”: "
        "use its slug, document code or full name.",
    ]
    assert not Assessment.objects.filter(framework=framework).exists()


def test_a_good_file_is_imported_with_counts(framework, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(
        csv_bytes([HEADER, ["phusang", "2590", "90", "91", "92"], ["nasom", "๒๕๙๐", "", "", "80"]])
    )
    out, err = run(str(path))
    assert "Assessments: 2 created, 0 updated, in" in out and err == ""
    assert ToolScore.objects.get(
        assessment__organisation__slug="nasom", tool__framework=framework
    ).score == Decimal("80")
    out, _err = run(str(path))
    assert "Assessments: 0 created, 2 updated, in" in out


def test_a_dry_run_saves_nothing(framework, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(csv_bytes([HEADER, ["phusang", "2590", "90", "91", "92"]]))
    out, _err = run(str(path), "--dry-run")
    assert "Assessments: 1 created, 0 updated" in out and "Dry run: nothing was saved." in out
    assert not Assessment.objects.filter(framework=framework).exists()


@pytest.mark.parametrize(
    "name, content, message", [("missing.csv", None, "Cannot open"), ("s.ods", b"x", "CSV or XLSX")]
)
def test_an_unreadable_file_is_a_command_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_generated_national_file_imports(framework, tmp_path, extension):
    path = tmp_path / f"national.{extension}"
    out = io.StringIO()
    call_command(
        "generate_score_file",
        "--orgs",
        "12",
        "--year",
        "2590",
        "--out",
        str(path),
        "--create-orgs",
        stdout=out,
    )
    assert "Organisations created: 12." in out.getvalue()
    organisations = Organisation.objects.filter(slug__startswith="bench-")
    assert organisations.count() == 12
    assert organisations.values("province").distinct().count() > 1
    assert organisations.get(slug="bench-00001").name == "บ้านทดสอบ๐๐๐๐๑"

    first = path.read_bytes()
    call_command(
        "generate_score_file",
        "--orgs",
        "12",
        "--year",
        "2590",
        "--out",
        str(path),
        "--create-orgs",
        stdout=out,
    )
    assert organisations.count() == 12
    if extension == "csv":  # an XLSX embeds its creation time; the CSV must be the same byte for byte
        assert path.read_bytes() == first

    stdout, _err = run(str(path))
    assert "Assessments: 12 created, 0 updated" in stdout
    for assessment in Assessment.objects.filter(framework=framework).prefetch_related("tool_scores__tool"):
        tools = {s.tool.code: s.score for s in assessment.tool_scores.all()}
        assert set(tools) == {"IIT", "EIT", "OIT"}
        level = evaluate_level(assessment.level_rules, assessment.published_overall, list(tools.values()))
        assert assessment.published_level == level.name
    assert assessment.indicator_scores.count() == 4  # ind_1, ind_2, ind_6, ind_9: the top-level ones


def test_generating_needs_a_loaded_framework_and_a_known_extension(tmp_path):
    with pytest.raises(CommandError, match="No framework"):
        call_command("generate_score_file", "--orgs", "1", "--year", "2599", "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        call_command("generate_score_file", "--orgs", "1", "--year", "2590", "--out", str(tmp_path / "x.txt"))
