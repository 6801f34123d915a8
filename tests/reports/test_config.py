from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from itaportal.accounts.models import Department, Membership, Organisation, Position, User
from itaportal.audit.registry import describe
from itaportal.audit.selectors import trail_of
from reports.models import ApprovalChain, Decision, Delegation, Memo, MemoKind
from reports.selectors.chain import capacity_for, chain_positions
from reports.services.config import chain_remove, chain_set, delegation_create, delegation_end
from reports.services.memos import MemoError, memo_decide, memo_submit

pytestmark = pytest.mark.django_db

WANGTHONG_CHAIN = ["หัวหน้าสำนักปลัด", "รองปลัด", "ปลัด", "นายก"]
START, END = date(2025, 3, 3), date(2025, 3, 14)


@pytest.fixture(autouse=True)
def _no_demo_settings():
    """These tests set chains and appointments up from nothing: the demo's are removed first."""
    ApprovalChain.objects.all().delete()
    Delegation.objects.all().delete()


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English text, whatever the Thai translation says."""
    with translation.override("en"):
        yield


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def user(username: str) -> User:
    return User.objects.get(username=username)


def positions(slug: str, titles: list[str]) -> list[Position]:
    by_title = {p.title: p for p in Position.objects.filter(organisation__slug=slug)}
    return [by_title[title] for title in titles]


def set_chain(slug: str, titles: list[str], kind: str = "", address_via: bool = False) -> ApprovalChain:
    return chain_set(
        organisation=org(slug), kind=kind, positions=positions(slug, titles), address_via=address_via,
        user=user(f"admin.{slug}"),
    )


def titles_of(found: list[Position]) -> list[str]:
    return [p.title for p in found]


def appoint(slug="phusang", person="head", position="ปลัด", kind="acting", start=START, end=END):
    return delegation_create(
        organisation=org(slug), position=positions(slug, [position])[0], person=user(f"{person}.{slug}"),
        kind=kind, start=start, end=end, note="คำสั่งที่ ๑๒/๒๕๖๘", user=user(f"admin.{slug}"),
    )


# --- chains -------------------------------------------------------------------------------------


def test_the_wangthong_chain_is_read_back_in_order():
    set_chain("wangthong", WANGTHONG_CHAIN, address_via=True)
    found, via = chain_positions(org("wangthong"), "progress")
    assert titles_of(found) == WANGTHONG_CHAIN
    assert via is True
    assert found[-1].full_title == "นายกองค์การบริหารส่วนตำบลวังทอง"


def test_setting_again_replaces_the_levels_of_the_same_chain():
    first = set_chain("wangthong", WANGTHONG_CHAIN)
    again = set_chain("wangthong", ["ปลัด", "นายก"])
    assert again.pk == first.pk
    assert titles_of(chain_positions(org("wangthong"), "analysis")[0]) == ["ปลัด", "นายก"]
    assert ApprovalChain.objects.filter(organisation__slug="wangthong").count() == 1


def test_a_kind_specific_chain_wins_over_the_general_one_until_removed():
    set_chain("wangthong", WANGTHONG_CHAIN)
    set_chain("wangthong", ["หัวหน้าสำนักปลัด", "ปลัด"], kind=MemoKind.GENERAL)
    wangthong = org("wangthong")
    assert titles_of(chain_positions(wangthong, MemoKind.GENERAL)[0]) == ["หัวหน้าสำนักปลัด", "ปลัด"]
    assert titles_of(chain_positions(wangthong, MemoKind.PROGRESS)[0]) == WANGTHONG_CHAIN
    chain_remove(organisation=wangthong, kind=MemoKind.GENERAL, user=user("admin.wangthong"))
    assert titles_of(chain_positions(wangthong, MemoKind.GENERAL)[0]) == WANGTHONG_CHAIN


def test_the_general_chain_cannot_be_removed_nor_a_missing_one():
    set_chain("wangthong", WANGTHONG_CHAIN)
    with pytest.raises(MemoError):
        chain_remove(organisation=org("wangthong"), kind="", user=user("admin.wangthong"))
    with pytest.raises(MemoError):
        chain_remove(organisation=org("wangthong"), kind=MemoKind.ANALYSIS, user=user("admin.wangthong"))
    assert titles_of(chain_positions(org("wangthong"), "analysis")[0]) == WANGTHONG_CHAIN


def test_a_position_of_another_organisation_is_refused():
    set_chain("wangthong", WANGTHONG_CHAIN)
    foreign = positions("wangthong", ["หัวหน้าสำนักปลัด", "รองปลัด"]) + positions("nasom", ["ปลัด"])
    with pytest.raises(MemoError, match="not a position of this organisation"):
        chain_set(organisation=org("wangthong"), kind="", positions=foreign, address_via=False,
                  user=user("admin.wangthong"))
    assert titles_of(chain_positions(org("wangthong"), "analysis")[0]) == WANGTHONG_CHAIN


@pytest.mark.parametrize(
    ("titles", "kind", "message"),
    [
        (["ปลัด", "รองปลัด", "ปลัด"], "", "appears twice"),
        ([], "", "at least one level"),
        (["ปลัด"], "budget", "Unknown kind"),
    ],
)
def test_a_chain_with_a_repeated_position_no_level_or_an_unknown_kind_is_refused(titles, kind, message):
    with pytest.raises(MemoError, match=message):
        set_chain("wangthong", titles, kind=kind)
    assert not ApprovalChain.objects.filter(organisation__slug="wangthong").exists()


def test_changes_of_a_chain_are_in_its_trail():
    chain = set_chain("wangthong", WANGTHONG_CHAIN, kind=MemoKind.PROGRESS)
    chain_remove(organisation=org("wangthong"), kind=MemoKind.PROGRESS, user=user("admin.wangthong"))
    entries = list(trail_of(chain))
    assert [e.action for e in entries] == ["ita.chain.changed", "ita.chain.removed"]
    assert entries[0].actor == user("admin.wangthong")
    assert entries[0].data["positions"][-1] == "นายกองค์การบริหารส่วนตำบลวังทอง"
    assert "หัวหน้าสำนักปลัด → รองปลัด" in describe(entries[0])
    assert describe(entries[1]) != "ita.chain.removed"


def test_a_submitted_memo_keeps_its_levels_when_the_chain_changes():
    set_chain("wangthong", WANGTHONG_CHAIN)
    wangthong, author = org("wangthong"), user("staff.wangthong")
    memo = Memo.objects.create(
        organisation=wangthong, kind=MemoKind.GENERAL, fiscal_year=2568,
        department=Department.objects.get(organisation=wangthong, name="สำนักปลัด"),
        subject="ทดสอบ", author=author, author_position="นักวิเคราะห์นโยบายและแผน",
    )
    memo = memo_submit(memo=memo, user=author)
    sent_with = list(memo.levels)
    set_chain("wangthong", ["ปลัด", "นายก"])
    memo.refresh_from_db()
    assert memo.levels == sent_with
    assert [level["title"] for level in memo.levels][:2] == [
        "หัวหน้าสำนักปลัด", "รองปลัดองค์การบริหารส่วนตำบลวังทอง"
    ]
    # The first level is still the head's to decide, although the head is no longer in the chain.
    memo = memo_decide(memo=memo, user=user("head.wangthong"), level=1, action=Decision.Action.APPROVE)
    assert memo.current_level == 2


# --- delegations --------------------------------------------------------------------------------


def test_an_acting_appointment_gives_the_capacity_only_within_its_period():
    delegation = appoint()
    phusang, head = org("phusang"), user("head.phusang")
    capacity = capacity_for(head, phusang, delegation.position_id, START)
    assert capacity.kind == Decision.Capacity.ACTING
    assert capacity.position_title == "หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"
    assert capacity_for(head, phusang, delegation.position_id, END) is not None
    assert capacity_for(head, phusang, delegation.position_id, START - timedelta(days=1)) is None
    assert capacity_for(head, phusang, delegation.position_id, END + timedelta(days=1)) is None


def test_a_delegated_authority_reads_as_such():
    delegation = appoint(kind=Delegation.Kind.DELEGATED)
    capacity = capacity_for(user("head.phusang"), org("phusang"), delegation.position_id, START)
    assert capacity.position_title == "หัวหน้าสำนักปลัด ปฏิบัติราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"


def test_the_appointment_is_in_its_trail_with_thai_dates():
    delegation = appoint()
    (entry,) = trail_of(delegation)
    assert entry.action == "ita.delegation.created" and entry.actor == user("admin.phusang")
    assert entry.data["person"] == "นางนภาพร ธาคำดี"
    assert entry.data["position"] == "ปลัดองค์การบริหารส่วนตำบลภูซาง"
    assert (entry.data["start"], entry.data["end"]) == ("๓ มีนาคม ๒๕๖๘", "๑๔ มีนาคม ๒๕๖๘")
    assert "นางนภาพร ธาคำดี" in describe(entry)


def test_ending_an_appointment_stops_it_after_its_new_last_day():
    delegation = appoint()
    last_day = START + timedelta(days=2)
    delegation_end(delegation=delegation, user=user("admin.phusang"), on=last_day)
    delegation.refresh_from_db()
    assert delegation.end == last_day
    head, phusang = user("head.phusang"), org("phusang")
    assert capacity_for(head, phusang, delegation.position_id, last_day) is not None
    assert capacity_for(head, phusang, delegation.position_id, last_day + timedelta(days=1)) is None
    entries = list(trail_of(delegation))
    assert [e.action for e in entries] == ["ita.delegation.created", "ita.delegation.ended"]
    assert entries[1].data["end"] == "๕ มีนาคม ๒๕๖๘" and entries[1].data["previous_end"] == "๑๔ มีนาคม ๒๕๖๘"
    assert describe(entries[1]) != "ita.delegation.ended"
    assert Delegation.objects.filter(pk=delegation.pk).exists()


@pytest.mark.parametrize("on", [START - timedelta(days=1), END, END + timedelta(days=5)])
def test_an_appointment_cannot_end_before_it_starts_nor_after_its_end(on):
    delegation = appoint()
    with pytest.raises(MemoError):
        delegation_end(delegation=delegation, user=user("admin.phusang"), on=on)
    delegation.refresh_from_db()
    assert delegation.end == END
    assert [e.action for e in trail_of(delegation)] == ["ita.delegation.created"]


def test_refused_appointments():
    phusang, admin = org("phusang"), user("admin.phusang")
    palad = positions("phusang", ["ปลัด"])[0]

    def create(**changes):
        fields = dict(organisation=phusang, position=palad, person=user("head.phusang"), kind="acting",
                      start=START, end=END, note="", user=admin)
        fields.update(changes)
        return delegation_create(**fields)

    with pytest.raises(MemoError, match="not a position of this organisation"):
        create(position=positions("nasom", ["ปลัด"])[0])
    with pytest.raises(MemoError, match="not an active member"):
        create(person=user("head.nasom"))
    with pytest.raises(MemoError, match="already holds"):
        create(person=user("palad.phusang"))
    with pytest.raises(MemoError, match="cannot end before"):
        create(start=END, end=START)
    with pytest.raises(MemoError, match="Unknown kind"):
        create(kind="forever")
    Membership.objects.filter(user__username="staff.phusang", organisation=phusang).update(is_active=False)
    with pytest.raises(MemoError, match="not an active member"):
        create(person=user("staff.phusang"))
    assert not Delegation.objects.filter(organisation=phusang).exists()


def test_only_one_person_acts_for_a_position_at_a_time():
    appoint()
    with pytest.raises(MemoError, match="already acts"):
        appoint(person="nayok", start=END, end=END + timedelta(days=3))
    with pytest.raises(MemoError, match="already appointed"):
        appoint(kind=Delegation.Kind.DELEGATED, start=END)
    # After the first appointment, or as shared delegated authority, another person may be appointed.
    appoint(person="nayok", start=END + timedelta(days=1), end=END + timedelta(days=3))
    appoint(person="admin", kind=Delegation.Kind.DELEGATED)
    assert Delegation.objects.filter(organisation__slug="phusang").count() == 3


# --- views --------------------------------------------------------------------------------------

CHAIN_URL = "/o/{}/memos/chain/"
DELEGATIONS_URL = "/o/{}/memos/delegations/"


def level_data(slug: str, titles: list[str], kind: str = "", **extra) -> dict:
    data = {"kind": kind, **extra}
    data.update({f"level_{n}": p.pk for n, p in enumerate(positions(slug, titles), start=1)})
    return data


def test_chain_settings_shows_the_chains_and_the_addressee_line(login):
    set_chain("wangthong", WANGTHONG_CHAIN, address_via=True)
    html = login("admin.wangthong").get(CHAIN_URL.format("wangthong")).content.decode()
    assert html.index("หัวหน้าสำนักปลัด") < html.index("รองปลัดองค์การบริหารส่วนตำบลวังทอง")
    assert (
        "เรียน นายกองค์การบริหารส่วนตำบลวังทอง (ผ่าน หัวหน้าสำนักปลัด/รองปลัดองค์การบริหารส่วนตำบลวังทอง/"
        "ปลัดองค์การบริหารส่วนตำบลวังทอง)" in html
    )
    assert "นายทองคำ ประพฤติธรรม" in html  # who decides the last level today


def test_chain_settings_saves_a_chain_skipping_blank_levels(login):
    data = level_data("wangthong", WANGTHONG_CHAIN)
    data["level_6"], data["level_4"] = data.pop("level_4"), ""
    response = login("admin.wangthong").post(CHAIN_URL.format("wangthong"), data)
    assert response.status_code == 302
    found, via = chain_positions(org("wangthong"), "progress")
    assert titles_of(found) == WANGTHONG_CHAIN and via is False


def test_chain_settings_saves_a_kind_specific_chain_and_removes_it(login):
    set_chain("wangthong", WANGTHONG_CHAIN)
    client = login("admin.wangthong")
    client.post(CHAIN_URL.format("wangthong"), level_data("wangthong", ["ปลัด", "นายก"], kind="analysis",
                                                            address_via="on"))
    assert chain_positions(org("wangthong"), "analysis") == (positions("wangthong", ["ปลัด", "นายก"]), True)
    response = client.post(CHAIN_URL.format("wangthong"), {"kind": "analysis", "remove": "1"})
    assert response.status_code == 302
    assert titles_of(chain_positions(org("wangthong"), "analysis")[0]) == WANGTHONG_CHAIN


def test_chain_settings_refuses_a_foreign_or_repeated_position_next_to_the_field(login):
    set_chain("wangthong", WANGTHONG_CHAIN)
    client = login("admin.wangthong")
    data = level_data("wangthong", ["หัวหน้าสำนักปลัด", "ปลัด"])
    data["level_3"] = positions("nasom", ["นายก"])[0].pk
    html = client.post(CHAIN_URL.format("wangthong"), data).content.decode()
    assert 'id="id_general_chain_level_3"' in html and "is-invalid" in html
    # What was typed in the other levels is kept.
    assert f'value="{positions("wangthong", ["ปลัด"])[0].pk}" selected' in html
    repeated = level_data("wangthong", ["ปลัด", "ปลัด"])
    html = client.post(CHAIN_URL.format("wangthong"), repeated).content.decode()
    assert html.count("is-invalid") == 1
    assert titles_of(chain_positions(org("wangthong"), "analysis")[0]) == WANGTHONG_CHAIN


def test_chain_settings_refuses_an_empty_chain(login):
    response = login("admin.wangthong").post(CHAIN_URL.format("wangthong"), {"kind": ""})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not ApprovalChain.objects.filter(organisation__slug="wangthong").exists()


def test_delegations_lists_current_and_past_appointments(login):
    today = timezone.localdate()
    appoint(start=today - timedelta(days=30), end=today - timedelta(days=10))
    appoint(person="nayok", kind="delegated", position="หัวหน้าสำนักปลัด", start=today, end=today)
    html = login("admin.phusang").get(DELEGATIONS_URL.format("phusang")).content.decode()
    current, past = html.split("<h2 class=\"h5 mt-4\">")[1], html.split("<h2 class=\"h5 mt-5\">")[1]
    assert "นายวรารุญ ฝาใจมา" in current and "ปฏิบัติราชการแทน" in current
    assert "นายกองค์การบริหารส่วนตำบลภูซาง ปฏิบัติราชการแทน หัวหน้าสำนักปลัด" in current
    assert "นางนภาพร ธาคำดี" in past and "รักษาราชการแทน" in past and "ปลัดองค์การบริหารส่วนตำบลภูซาง" in past
    assert "นางนภาพร ธาคำดี" not in current


def test_delegations_creates_an_appointment(login):
    data = {"action": "create", "person": user("head.phusang").pk, "kind": "acting",
            "position": positions("phusang", ["ปลัด"])[0].pk, "start": "2025-03-03", "end": "2025-03-14",
            "note": "คำสั่งที่ ๑๒/๒๕๖๘"}
    response = login("admin.phusang").post(DELEGATIONS_URL.format("phusang"), data)
    assert response.status_code == 302
    delegation = Delegation.objects.get(organisation__slug="phusang")
    assert (delegation.person.username, delegation.start, delegation.end) == ("head.phusang", START, END)
    assert [e.action for e in trail_of(delegation)] == ["ita.delegation.created"]


def test_delegations_shows_errors_next_to_fields_and_keeps_what_was_typed(login):
    data = {"action": "create", "person": user("head.phusang").pk, "kind": "delegated",
            "position": positions("nasom", ["ปลัด"])[0].pk, "start": "2025-03-14", "end": "2025-03-03",
            "note": "คำสั่งที่ ๙๙"}
    html = login("admin.phusang").post(DELEGATIONS_URL.format("phusang"), data).content.decode()
    assert html.count("is-invalid") == 2  # the foreign position and the end before the start
    assert 'value="2025-03-14"' in html and "คำสั่งที่ ๙๙" in html
    assert not Delegation.objects.exists()


def test_delegations_ends_an_appointment(login):
    today = timezone.localdate()
    delegation = appoint(start=today - timedelta(days=3), end=today + timedelta(days=10))
    response = login("admin.phusang").post(
        DELEGATIONS_URL.format("phusang"),
        {"action": "end", "delegation_id": delegation.pk, "on": today.isoformat()},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.end == today


def test_ending_before_the_start_is_refused_next_to_the_date(login):
    today = timezone.localdate()
    delegation = appoint(start=today + timedelta(days=3), end=today + timedelta(days=10))
    typed = (today + timedelta(days=1)).isoformat()
    html = login("admin.phusang").post(
        DELEGATIONS_URL.format("phusang"), {"action": "end", "delegation_id": delegation.pk, "on": typed}
    ).content.decode()
    assert "is-invalid" in html and f'value="{typed}"' in html
    delegation.refresh_from_db()
    assert delegation.end == today + timedelta(days=10)


def test_ending_an_appointment_of_another_organisation_is_404(login):
    delegation = appoint(slug="nasom", person="head")
    response = login("admin.phusang").post(
        DELEGATIONS_URL.format("phusang"),
        {"action": "end", "delegation_id": delegation.pk, "on": "2025-03-05"},
    )
    assert response.status_code == 404
    delegation.refresh_from_db()
    assert delegation.end == END


@pytest.mark.parametrize("url", [CHAIN_URL, DELEGATIONS_URL])
@pytest.mark.parametrize(
    "username", ["staff.wangthong", "head.wangthong", "deputy.wangthong", "auditor.wangthong"]
)
def test_only_the_organisation_admin_may_see_or_change_the_settings(login, url, username):
    client = login(username)
    assert client.get(url.format("wangthong")).status_code == 403
    assert client.post(url.format("wangthong"), level_data("wangthong", ["ปลัด"])).status_code == 403
    assert not ApprovalChain.objects.filter(organisation__slug="wangthong").exists()


@pytest.mark.parametrize("url", [CHAIN_URL, DELEGATIONS_URL])
def test_another_organisation_is_404(login, url):
    client = login("admin.nasom")
    assert client.get(url.format("wangthong")).status_code == 404
    assert client.post(url.format("wangthong"), level_data("wangthong", ["ปลัด"])).status_code == 404
    assert not ApprovalChain.objects.filter(organisation__slug="wangthong").exists()


@pytest.mark.parametrize("url", [CHAIN_URL, DELEGATIONS_URL])
def test_method_rules(client, login, url):
    assert client.get(url.format("wangthong")).status_code == 302  # to the login page
    admin = login("admin.wangthong")
    assert admin.get(url.format("wangthong")).status_code == 200
    assert admin.put(url.format("wangthong")).status_code == 405
    assert admin.delete(url.format("wangthong")).status_code == 405
