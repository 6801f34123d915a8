import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AnalysisIssue, Assessment, Framework, LevelRule, Tool, ToolScore
from itaportal.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def scores_url(year=2566, slug="wangthong"):
    return f"/o/{slug}/assessments/{year}/scores/"


def test_the_score_form_saves_thai_digits(login, make_assessment):
    make_assessment("wangthong", 2566)
    client = login("staff.wangthong")
    response = client.post(scores_url(), {"published_overall": "๙๕.๑๕", "published_level": "ผ่านดี",
                                          "tool_IIT": "๙๙.๘๔", "tool_EIT": "94", "tool_OIT": "92.50"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(organisation__slug="wangthong", framework__fiscal_year=2566)
    assert str(assessment.published_overall) == "95.15"
    assert sorted(map(str, assessment.tool_scores.values_list("score", flat=True))) == ["92.50", "94.00", "99.84"]
    html = client.get("/o/wangthong/assessments/2566/").content.decode()
    assert "95.15" in html and "ผ่านดี" in html


def test_bad_scores_get_thai_messages_next_to_the_field_and_keep_everything_typed(login, make_assessment):
    make_assessment("wangthong", 2566)
    client = login("staff.wangthong")
    response = client.post(scores_url(), {"published_overall": "101", "tool_IIT": "๙๙.๘๔", "tool_EIT": "9x",
                                          "tool_OIT": "92.505"}, HTTP_ACCEPT_LANGUAGE="th")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="101"' in html and 'value="๙๙.๘๔"' in html and 'value="9x"' in html and 'value="92.505"' in html
    assert html.count("is-invalid") == 3
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in html and "ทศนิยมไม่เกินสองตำแหน่ง" in html
    assert not ToolScore.objects.filter(assessment__organisation__slug="wangthong").exists()


def test_the_score_form_checks_ownership(login, make_assessment):
    make_assessment("wangthong", 2566)
    assert login("staff.nasom").post(scores_url(), {"tool_IIT": "50"}).status_code == 404
    assert not ToolScore.objects.filter(assessment__organisation__slug="wangthong").exists()


@pytest.mark.parametrize("username", ["head.wangthong", "nayok.wangthong", "auditor.wangthong"])
def test_the_score_form_requires_an_editor(login, make_assessment, username):
    make_assessment("wangthong", 2566)
    assert login(username).post(scores_url(), {"tool_IIT": "50"}).status_code == 403
    assert not ToolScore.objects.filter(assessment__organisation__slug="wangthong").exists()


def test_the_score_form_rejects_put(login, make_assessment):
    make_assessment("wangthong", 2566)
    assert login("staff.wangthong").put(scores_url()).status_code == 405


def test_a_year_without_assessment_is_404(login):
    assert login("staff.wangthong").get("/o/wangthong/assessments/2564/").status_code == 404


def test_starting_a_year_goes_to_its_score_form(login):
    client = login("staff.wangthong")
    framework = Framework.objects.get(fiscal_year=2564)
    response = client.post("/o/wangthong/assessments/new/", {"framework": framework.pk})
    assert response["Location"] == "/o/wangthong/assessments/2564/scores/"
    assert Assessment.objects.filter(organisation__slug="wangthong", framework=framework).exists()


def test_starting_cannot_pick_another_organisations_framework_twice(login, make_assessment):
    make_assessment("wangthong", 2566)
    framework = Framework.objects.get(fiscal_year=2566)
    response = login("staff.wangthong").post("/o/wangthong/assessments/new/", {"framework": framework.pk})
    assert response.status_code == 200
    assert Assessment.objects.filter(organisation__slug="wangthong", framework=framework).count() == 1


def test_acknowledging_a_warning(login, make_assessment):
    make_assessment("wangthong", 2566, overall="95.15", level="ผ่านดีเยี่ยม",
                    tools={"IIT": "99.84", "EIT": "94", "OIT": "92.5"})
    client = login("staff.wangthong")
    html = client.get("/o/wangthong/assessments/2566/").content.decode()
    assert "alert-danger" in html and "ผ่านดีเยี่ยม" in html
    response = client.post("/o/wangthong/assessments/2566/acknowledge/", {"key": "level:ผ่านดีเยี่ยม:ผ่านดี"})
    assert response.status_code == 302
    assert "level:ผ่านดีเยี่ยม:ผ่านดี" in Assessment.objects.get(organisation__slug="wangthong").acknowledged_warnings
    assert login("auditor.wangthong").post("/o/wangthong/assessments/2566/acknowledge/", {"key": "x"}).status_code == 403


def test_issue_of_another_organisation_is_404_even_with_its_id(login, make_assessment):
    mine = make_assessment("wangthong", 2567)
    theirs = make_assessment("nasom", 2567)
    issue = AnalysisIssue.objects.create(assessment=theirs, order=1, title="ของเขา",
                                         tool=Tool.objects.get(framework__fiscal_year=2567, code="IIT"),
                                         analysis="x")
    client = login("staff.wangthong")
    assert client.get(f"/o/wangthong/assessments/2567/analysis/{issue.pk}/").status_code == 404
    assert client.post(f"/o/wangthong/assessments/2567/analysis/{issue.pk}/remove/").status_code == 404
    assert AnalysisIssue.objects.filter(pk=issue.pk).exists() and mine.issues.count() == 0


def test_adding_an_issue_from_a_candidate(login, make_assessment):
    make_assessment("wangthong", 2567)
    client = login("staff.wangthong")
    framework = Framework.objects.get(fiscal_year=2567)
    tool = framework.tools.get(code="IIT")
    item = framework.items.get(code="i2")
    form = client.get("/o/wangthong/assessments/2567/analysis/new/?item=i2").content.decode()
    assert re.search(rf'name="items"\s+value="{item.pk}"\s+id="[^"]+"\s+checked', form)
    response = client.post("/o/wangthong/assessments/2567/analysis/new/", {
        "title": "กระบวนการปฏิบัติงาน", "tool": tool.pk, "items": [item.pk], "analysis": "วิเคราะห์", "kind": "urgent"})
    assert response.status_code == 302
    issue = AnalysisIssue.objects.get(assessment__organisation__slug="wangthong")
    assert (issue.kind, list(issue.items.values_list("code", flat=True))) == ("urgent", ["i2"])


def test_the_list_page_uses_a_constant_number_of_queries(login):
    organisation = Organisation.objects.get(slug="wangthong")
    template = Framework.objects.get(fiscal_year=2566)
    client = login("auditor.wangthong")
    # The first page of an organisation remembers it in the session (a write the later pages skip).
    client.get("/o/wangthong/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/o/wangthong/assessments/").status_code == 200
        return len(context)

    def add_years(count, start):
        for year in range(start, start + count):
            framework = Framework.objects.create(fiscal_year=year, name=f"FY {year}")
            tools = [Tool.objects.create(framework=framework, code=t.code, name=t.name, weight=t.weight, order=t.order)
                     for t in template.tools.all()]
            LevelRule.objects.create(framework=framework, order=0, name="ผ่าน", min_overall=0)
            assessment = Assessment.objects.create(organisation=organisation, framework=framework,
                                                   level_rules=[{"name": "ผ่าน", "min_overall": "0"}])
            for tool in tools:
                ToolScore.objects.create(assessment=assessment, tool=tool, score=90)

    add_years(1, 3000)
    one = queries()
    add_years(49, 3001)
    assert queries() == one


def upload(client, text: str, name: str = "scores.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/o/wangthong/assessments/import/",
                       {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_the_upload_imports_the_organisations_own_rows(login):
    response = upload(login("staff.wangthong"), "organisation,fiscal_year,IIT,EIT,OIT\nwangthong,2566,99.84,94,92.5\n")
    assert response.status_code == 302
    assessment = Assessment.objects.get(organisation__slug="wangthong", framework__fiscal_year=2566)
    assert assessment.tool_scores.count() == 3


def test_the_upload_refuses_another_organisations_row_and_imports_nothing(login):
    response = upload(login("staff.wangthong"),
                      "organisation,fiscal_year,IIT\nwangthong,2566,99.84\nphusang,2566,50\n")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>3</td><td>A (organisation)</td>" in html
    assert not Assessment.objects.filter(organisation__slug__in=["wangthong", "phusang"],
                                         framework__fiscal_year=2566).exists()


def test_the_upload_requires_an_editor_and_membership(login):
    body = "organisation,fiscal_year,IIT\nwangthong,2566,99.84\n"
    assert upload(login("auditor.wangthong"), body).status_code == 403
    assert upload(login("staff.nasom"), body).status_code == 404
    assert not Assessment.objects.filter(organisation__slug="wangthong", framework__fiscal_year=2566).exists()


def test_the_export_escapes_and_reimports(login, make_assessment):
    make_assessment("wangthong", 2566, overall="95.15", tools={"IIT": "99.84", "EIT": "94", "OIT": "92.5"})
    client = login("auditor.wangthong")
    response = client.get("/o/wangthong/assessments/2566/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="ita-wangthong-2566.csv"'
    text = response.content.decode("utf-8-sig")
    assert "wangthong" in text and "95.15" in text and "99.84" in text
    assert upload(login("staff.wangthong"), text).status_code == 302
