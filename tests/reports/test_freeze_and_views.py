from decimal import Decimal

import pytest

from assessments.models import Assessment, IndicatorScore
from itaportal.accounts.models import Membership
from measures.models import Measure
from reports.services.composing import compose_memo
from reports.models import Decision, Memo
from reports.services.memos import memo_decide, memo_submit

pytestmark = pytest.mark.django_db


def approved_analysis_memo(user):
    membership = Membership.objects.get(user__username="staff.phusang")
    assessment = Assessment.objects.get(organisation__slug="phusang", framework__fiscal_year=2567)
    memo = compose_memo(organisation=membership.organisation, membership=membership, kind="analysis",
                        fiscal_year=2568, assessment=assessment)
    memo = memo_submit(memo=memo, user=user("staff.phusang"))
    for level, username in enumerate(["head.phusang", "palad.phusang", "nayok.phusang"], start=1):
        memo = memo_decide(memo=memo, user=user(username), level=level, action="approve", comment="ทราบ")
    return memo, assessment


def test_a_frozen_version_does_not_change_when_its_sources_change(user):
    memo, assessment = approved_analysis_memo(user)
    frozen = Memo.objects.get(pk=memo.pk).version
    before = (frozen.content, frozen.sha256)
    assert frozen.content["documents"]["analysis"]["overall"] == "99.78"
    assert frozen.content["attachment_titles"][0].startswith("รายงานผลการวิเคราะห์")
    IndicatorScore.objects.filter(assessment=assessment, indicator__number="1").update(score=Decimal("50.00"))
    assessment.published_overall = Decimal("90.00")
    assessment.save(update_fields=["published_overall"])
    Measure.objects.filter(organisation__slug="phusang", fiscal_year=2568).update(title="แก้ไขภายหลัง")
    frozen = Memo.objects.get(pk=memo.pk).version
    assert (frozen.content, frozen.sha256) == before
    assert frozen.content["documents"]["measures"]["measures"][0]["title"] != "แก้ไขภายหลัง"


def decide_url(memo, slug="phusang"):
    return f"/o/{slug}/memos/{memo.pk}/decide/"


@pytest.fixture
def waiting():
    """phusang's demo memo waiting at level 2 (ปลัด)."""
    return Memo.objects.get(organisation__slug="phusang", state="in_review")


def test_the_holder_decides_through_the_page(login, waiting):
    response = login("palad.phusang").post(decide_url(waiting), {"level": 2, "action": "approve", "comment": "เสนอ"})
    assert response.status_code == 302
    assert Decision.objects.filter(memo=waiting, level=2, actor__username="palad.phusang").exists()


@pytest.mark.parametrize("username", ["head.phusang", "nayok.phusang"])
def test_another_executive_of_the_organisation_gets_403(login, waiting, username):
    response = login(username).post(decide_url(waiting), {"level": 2, "action": "approve"})
    assert response.status_code == 403
    assert not Decision.objects.filter(memo=waiting, level=2).exists()


@pytest.mark.parametrize("username", ["staff.phusang", "auditor.phusang"])
def test_non_deciding_roles_get_403(login, waiting, username):
    assert login(username).post(decide_url(waiting), {"level": 2, "action": "approve"}).status_code == 403


def test_an_outsider_gets_404_even_with_the_memo_id(login, waiting):
    client = login("palad.nasom")
    assert client.post(decide_url(waiting), {"level": 2, "action": "approve"}).status_code == 404
    assert client.post(decide_url(waiting, "nasom"), {"level": 2, "action": "approve"}).status_code == 404
    assert client.get(f"/o/nasom/memos/{waiting.pk}/").status_code == 404
    assert not Decision.objects.filter(memo=waiting, level=2).exists()


def test_deciding_rejects_get(login, waiting):
    assert login("palad.phusang").get(decide_url(waiting)).status_code == 405


def test_an_auditor_reads_approved_memos_only(login, waiting):
    client = login("auditor.phusang")
    approved = Memo.objects.get(organisation__slug="phusang", state="approved")
    assert client.get(f"/o/phusang/memos/{approved.pk}/").status_code == 200
    assert client.get(f"/o/phusang/memos/{waiting.pk}/").status_code == 403
    listing = client.get("/o/phusang/memos/").content.decode()
    assert approved.subject[:20] in listing and f"/memos/{waiting.pk}/" not in listing


def test_a_contradicting_memo_is_blocked_and_the_override_reason_is_recorded(login, user):
    from itaportal.audit.selectors import trail_of

    membership = Membership.objects.get(user__username="staff.phusang")
    memo = compose_memo(organisation=membership.organisation, membership=membership, kind="analysis",
                        fiscal_year=2568,
                        assessment=Assessment.objects.get(organisation__slug="phusang", framework__fiscal_year=2567))
    memo.facts = "คะแนนภาพรวม ๙๙.๗๘ คะแนน ผลการประเมินระดับต้องปรับปรุง"
    memo.save(update_fields=["facts"])
    client = login("staff.phusang")
    client.post(f"/o/phusang/memos/{memo.pk}/submit/", {})
    memo.refresh_from_db()
    assert memo.state == "draft" and memo.number is None
    client.post(f"/o/phusang/memos/{memo.pk}/submit/", {"override_reason": "ตามประกาศที่ได้รับ"})
    memo.refresh_from_db()
    assert memo.state == "in_review" and memo.override_reason == "ตามประกาศที่ได้รับ"
    entry = trail_of(memo).get(action="ita.memo.submitted")
    assert entry.data["override_reason"] == "ตามประกาศที่ได้รับ" and entry.data["mismatches"] == ["ระดับต้องปรับปรุง"]
