"""The creation pages of the organising and launching units: launching a movement,
setting up a block with its members, leader and deputies, naming the leader on the
dashboard, and drafting a covenant's criteria tree. For each, a permission matrix (a
refused request writes nothing), a happy path, and bad input refused with a message on
the field it names."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.emulation import services
from thidua.emulation.choices import BlockRoleKind, CovenantStatus, GroupKind, MovementKind
from thidua.emulation.models import Block, BlockRole, Covenant, Criterion, Movement
from thidua.emulation.tests.factories import make_covenant

pytestmark = pytest.mark.usefixtures("pages_in_english")

D = datetime.date


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def field_errors(response, name, form="form"):
    return response.context[form].errors.get(name, [])


# --------------------------------------------------------------------------- index


@pytest.mark.parametrize(
    "who, shown", [("no_role", False), ("kb_viewer", False), ("kb", True), ("province", True)]
)
def test_the_index_links_the_creation_pages_for_those_who_may_use_them(client, people, who, shown):
    client.force_login(people[who])
    page = client.get(reverse("emulation:index")).content.decode()
    assert (reverse("emulation:movement_new") in page) is shown
    assert (reverse("emulation:block_new") in page) is shown


# --------------------------------------------------------------------------- movements

MOVEMENT = {
    "launched_by": "HNA",
    "code": "HNA-2020",
    "name": "Phong trào thi đua yêu nước năm 2020",
    "kind": MovementKind.REGULAR,
    "year": "2020",
    "decision_number": "15/QĐ-UBND",
    "decision_date": "10/01/2020",
    "signer": "Chủ tịch UBND tỉnh",
    "period_start": "2020-01-01",
    "period_end": "2020-12-31",
    "registration_deadline": "2020-03-31",
    "goals": "Hoàn thành thắng lợi các chỉ tiêu",
}


@pytest.mark.parametrize(
    "who, get, post",
    [
        (None, 302, 302),  # to the login page
        ("no_role", 403, 403),  # acts for no unit
        ("kb_viewer", 403, 403),
        ("other_unit", 200, 400),  # launches for its own province, not for Hà Nam
        ("kb", 200, 400),  # launches for Kim Bảng, not for the province above it
        ("province", 200, 302),
    ],
)
def test_who_may_launch_a_movement_for_the_province(client, people, who, get, post):
    client = login(client, people.get(who))
    page = reverse("emulation:movement_new")
    assert client.get(page).status_code == get
    response = client.post(page, MOVEMENT)
    assert response.status_code == post
    launched = who == "province"
    assert Movement.objects.exists() is launched
    assert AuditEntry.objects.filter(action="emulation.movement.launch").exists() is launched
    if post == 400:
        assert field_errors(response, "launched_by")


def test_launching_a_movement(client, people, world):
    client.force_login(people["province"])
    page = client.get(reverse("emulation:movement_new"))
    # The units the officer holds a role on come first.
    assert list(dict(page.context["form"].fields["launched_by"].choices))[0] == "HNA"
    response = client.post(reverse("emulation:movement_new"), MOVEMENT)
    assert response.status_code == 302
    movement = Movement.objects.get()
    assert response["Location"] == reverse("emulation:movement", args=["HNA-2020"])
    assert (movement.launched_by, movement.decision_date, movement.registration_deadline) == (
        world["province"],
        D(2020, 1, 10),
        D(2020, 3, 31),
    )
    entry = AuditEntry.objects.get(action="emulation.movement.launch")
    assert entry.actor == people["province"]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"period_end": "2019-12-31"}, "period_end", "The period ends on or after its start."),
        (
            {"period_start": "2019-06-01"},
            "period_start",
            "A regular movement's period starts in its year.",
        ),
        ({"year": "1900"}, "year", "Ensure this value is greater than or equal to 1945."),
        ({"decision_number": ""}, "decision_number", "This field is required."),
    ],
)
def test_a_bad_movement_is_refused_on_its_field(client, people, change, field, message):
    client.force_login(people["province"])
    response = client.post(reverse("emulation:movement_new"), {**MOVEMENT, **change})
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Movement.objects.exists()


def test_a_movement_code_is_used_once(client, people):
    client.force_login(people["province"])
    client.post(reverse("emulation:movement_new"), MOVEMENT)
    response = client.post(reverse("emulation:movement_new"), {**MOVEMENT, "name": "Khác"})
    assert response.status_code == 400
    assert field_errors(response, "code") == ["Emulation movement with this Code already exists."]
    assert Movement.objects.count() == 1


# --------------------------------------------------------------------------- blocks

BLOCK = {
    "organiser": "HNA",
    "code": "KHOI-HUYEN",
    "year": "2020",
    "name": "Khối thi đua các huyện, thành phố",
    "kind": "block",
    "movement": "",
    "decision_number": "50/QĐ-UBND",
    "decision_date": "2020-01-15",
    "members": ["PL", "DT", "KB", "TL", "BL", "LN"],  # chosen in the unit picker
    "leader": "KB",
    "deputies": ["TL"],
}


@pytest.mark.parametrize(
    "who, get, post",
    [
        (None, 302, 302),
        ("no_role", 403, 403),
        ("kb_viewer", 403, 403),
        ("other_unit", 200, 400),
        ("kb", 200, 400),
        ("province", 200, 302),
    ],
)
def test_who_may_set_up_a_block_of_the_province(client, people, world, who, get, post):
    client = login(client, people.get(who))
    page = reverse("emulation:block_new")
    assert client.get(page).status_code == get
    response = client.post(page, BLOCK)
    assert response.status_code == post
    allowed = who == "province"
    assert Block.objects.exists() is allowed
    assert AuditEntry.objects.filter(action__startswith="emulation.block.").exists() is allowed


def test_setting_up_a_block_with_its_leader_and_deputy(client, people, world):
    movement = services.launch_movement(
        code="HNA-2020",
        name="Phong trào 2020",
        kind=MovementKind.REGULAR,
        year=2020,
        launched_by=world["province"],
        decision_number="15/QĐ-UBND",
        decision_date=D(2020, 1, 10),
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
        actor=SYSTEM,
    )
    client.force_login(people["province"])
    response = client.post(reverse("emulation:block_new"), {**BLOCK, "movement": movement.code})
    assert response.status_code == 302
    block = Block.objects.get()
    assert response["Location"] == reverse("emulation:block", args=[2020, "KHOI-HUYEN"])
    assert (block.organiser, block.movement, block.decision_number) == (
        world["province"],
        movement,
        "50/QĐ-UBND",
    )
    assert sorted(block.memberships.values_list("unit__code", flat=True)) == sorted(
        ["PL", "DT", "KB", "TL", "BL", "LN"]
    )
    # Named by the establishing decision, as no other decision was given.
    assert sorted(block.roles.values_list("unit__code", "role", "decision_number")) == [
        ("KB", BlockRoleKind.LEADER, "50/QĐ-UBND"),
        ("TL", BlockRoleKind.DEPUTY, "50/QĐ-UBND"),
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"emulation.block.create", "emulation.block.add_members"} <= actions
    assert "emulation.block.name_roles" in actions


def test_the_roles_may_be_named_by_a_decision_of_their_own(client, people):
    client.force_login(people["province"])
    client.post(
        reverse("emulation:block_new"),
        {**BLOCK, "roles_decision_number": "60/QĐ-UBND", "roles_decision_date": "2020-02-01"},
    )
    role = BlockRole.objects.get(role=BlockRoleKind.LEADER)
    assert (role.decision_number, role.decision_date) == ("60/QĐ-UBND", D(2020, 2, 1))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"leader": "HNA"}, "leader", "Unit HNA is not a member of this block."),
        ({"deputies": "TL, NDI"}, "deputies", "No unit you may choose has the code NDI."),
        ({"deputies": "KB"}, "deputies", "A unit holds one role in a block."),
        ({"members": "PL, KB, XYZ"}, "members", "No unit you may choose has the code XYZ."),
        ({"members": "PL, KB, PL"}, "members", "A unit is listed more than once."),
        ({"leader": "", "deputies": "TL"}, "leader", "Name the leader together with the deputies."),
        (
            {"decision_number": "", "decision_date": ""},
            "roles_decision_number",
            "The naming decision needs a number.",
        ),
    ],
)
def test_a_bad_block_is_refused_on_its_field(client, people, change, field, message):
    client.force_login(people["province"])
    response = client.post(reverse("emulation:block_new"), {**BLOCK, **change})
    assert response.status_code == 400
    assert any(message in error for error in field_errors(response, field)), response.context[
        "form"
    ].errors
    # Nothing half-written: not the block, not its members.
    assert not Block.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="emulation.block.").exists()


# --------------------------------------------------------------------------- roles on the dashboard


def roles_url(block):
    return reverse("emulation:roles", args=[block.year, block.code])


@pytest.mark.parametrize(
    "who, status",
    [(None, 302), ("no_role", 404), ("other_unit", 404), ("kb", 403), ("province", 302)],
)
def test_who_may_name_the_leader(client, people, block, who, status):
    response = login(client, people.get(who)).post(
        roles_url(block),
        {
            "leader": "KB",
            "deputies": ["TL"],
            "decision_number": "5/QĐ",
            "decision_date": "2020-02-01",
        },
    )
    assert response.status_code == status
    assert BlockRole.objects.exists() is (who == "province")


def test_the_dashboard_offers_the_rotation_and_names_the_roles(client, people, block):
    client.force_login(people["province"])
    page = client.get(reverse("emulation:block", args=[block.year, block.code]))
    form = page.context["roles_form"]
    assert form.initial["leader"] == page.context["suggestion"].leader.code
    response = client.post(
        roles_url(block),
        {
            "leader": "KB",
            "deputies": ["KB"],
            "decision_number": "5/QĐ",
            "decision_date": "2020-02-01",
        },
        follow=True,
    )
    assert "Deputy leaders: A unit holds one role in a block." in response.content.decode()
    assert not BlockRole.objects.exists()
    client.post(
        roles_url(block),
        {
            "leader": "KB",
            "deputies": ["TL"],
            "decision_number": "5/QĐ",
            "decision_date": "2020-02-01",
        },
    )
    assert sorted(BlockRole.objects.values_list("unit__code", "role")) == [
        ("KB", BlockRoleKind.LEADER),
        ("TL", BlockRoleKind.DEPUTY),
    ]
    # A member's officer sees the dashboard without the form.
    client.force_login(people["kb"])
    page = client.get(reverse("emulation:block", args=[block.year, block.code]))
    assert page.context["roles_form"] is None


# --------------------------------------------------------------------------- covenants


def edit_url(block):
    return reverse("emulation:covenant_edit", args=[block.year, block.code])


def management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def covenant_post(groups, criteria, **header) -> dict:
    """The page's POST: the header, then the rows of both formsets."""
    data = {
        "title": "Giao ước thi đua năm 2020",
        "scoring_deadline": "2020-12-15",
        "method": "cross",
        "tie_break_1": "base",
        "tie_break_2": "penalty",
        "tie_break_3": "",
        "save": "1",
        **header,
        **management("groups", len(groups)),
        **management("criteria", len(criteria)),
    }
    for i, (code, title, kind, cap) in enumerate(groups):
        data |= {
            f"groups-{i}-code": code,
            f"groups-{i}-title": title,
            f"groups-{i}-kind": kind,
            f"groups-{i}-cap": cap,
        }
    for i, (group, code, title, max_points) in enumerate(criteria):
        data |= {
            f"criteria-{i}-group": group,
            f"criteria-{i}-code": code,
            f"criteria-{i}-title": title,
            f"criteria-{i}-max_points": max_points,
            f"criteria-{i}-guidance": "",
        }
    return data


GROUPS = [
    ("I", "Thực hiện nhiệm vụ chính trị", "base", ""),
    ("II", "Điểm thưởng", "bonus", "5"),
    ("III", "Điểm trừ", "penalty", "10"),
    ("", "", "base", ""),  # an empty row, as the page offers
]
CRITERIA = [
    ("I", "1.1", "Thu ngân sách", "10"),
    ("I", "1.2", "Sản xuất công nghiệp", "7,5"),
    ("II", "2.1", "Mô hình mới", "3"),
    ("III", "3.1", "Chậm báo cáo", "4"),
    ("", "", "", ""),
]


@pytest.mark.parametrize(
    "who, get, post",
    [
        (None, 302, 302),
        ("no_role", 404, 404),  # may not see the block
        ("other_unit", 404, 404),
        ("kb", 403, 403),  # a member, not the organiser
        ("kb_viewer", 403, 403),
        ("province", 200, 302),
    ],
)
def test_who_may_draft_the_covenant(client, people, block, who, get, post):
    client = login(client, people.get(who))
    assert client.get(edit_url(block)).status_code == get
    assert client.post(edit_url(block), covenant_post(GROUPS, CRITERIA)).status_code == post
    assert Covenant.objects.exists() is (who == "province")


def test_drafting_changing_and_opening_the_covenant(client, people, block):
    client.force_login(people["province"])
    dashboard = client.get(reverse("emulation:block", args=[block.year, block.code]))
    assert edit_url(block) in dashboard.content.decode()
    response = client.post(edit_url(block), covenant_post(GROUPS, CRITERIA, trim_extremes="on"))
    assert response.status_code == 302
    covenant = Covenant.objects.get()
    assert (covenant.status, covenant.trim_extremes, covenant.tie_breaks) == (
        CovenantStatus.DRAFT,
        True,
        ["base", "penalty"],
    )
    tree = [(g.code, g.kind, g.cap) for g in covenant.groups.all()]
    assert tree == [
        ("I", GroupKind.BASE, None),
        ("II", GroupKind.BONUS, Decimal("5.00")),
        ("III", GroupKind.PENALTY, Decimal("10.00")),
    ]
    assert list(Criterion.objects.values_list("group__code", "code", "max_points")) == [
        ("I", "1.1", Decimal("10.00")),
        ("I", "1.2", Decimal("7.50")),
        ("II", "2.1", Decimal("3.00")),
        ("III", "3.1", Decimal("4.00")),
    ]
    assert AuditEntry.objects.filter(action="emulation.covenant.create").exists()

    # The draft comes back filled in, and a change replaces the tree.
    page = client.get(edit_url(block))
    assert page.context["groups"].initial[0]["code"] == "I"
    assert page.context["criteria"].initial[1]["max_points"] == "7,5"
    response = client.post(
        edit_url(block),
        covenant_post(
            GROUPS[:1], CRITERIA[:1], tie_break_1="group:I", tie_break_2="", title="Giao ước"
        ),
    )
    assert response.status_code == 302
    covenant.refresh_from_db()
    assert (covenant.title, covenant.tie_breaks) == ("Giao ước", ["group:I"])
    assert list(Criterion.objects.values_list("code", flat=True)) == ["1.1"]
    entry = AuditEntry.objects.get(action="emulation.covenant.revise")
    assert len(entry.before["criteria"]) == 3 and len(entry.after["criteria"]) == 1

    response = client.post(reverse("emulation:covenant_open", args=[block.year, block.code]))
    assert response.status_code == 302
    assert Covenant.objects.get().status == CovenantStatus.OPEN
    # Once open, the criteria are fixed: the page sends back to the covenant.
    response = client.get(edit_url(block))
    assert response.status_code == 302
    assert response["Location"] == reverse("emulation:covenant", args=[block.year, block.code])


def test_only_the_organiser_opens_the_covenant(client, people, block):
    make_covenant(block, open_it=False)
    client.force_login(people["kb"])
    response = client.post(reverse("emulation:covenant_open", args=[block.year, block.code]))
    assert response.status_code == 403
    assert Covenant.objects.get().status == CovenantStatus.DRAFT


@pytest.mark.parametrize(
    "criteria, form, field, message",
    [
        (
            [("I", "1.1", "Thu ngân sách", "-5")],
            ("criteria", 0),
            "max_points",
            "Criterion 1.1: the maximum is above 0.",
        ),
        (
            [("I", "1.1", "Thu ngân sách", "mười")],
            ("criteria", 0),
            "max_points",
            "Criterion 1.1 maximum: “mười” is not a number.",
        ),
        (
            [("I", "1.1", "Thu ngân sách", "10"), ("IV", "4.1", "Khác", "2")],
            ("criteria", 1),
            "group",
            "Criterion 4.1: no group has the code “IV”.",
        ),
        (
            [("I", "1.1", "Thu ngân sách", "10"), ("I", "1.1", "Trùng mã", "2")],
            ("criteria", 1),
            "code",
            "Criterion 1.1: a criterion needs a code of its own.",
        ),
        (
            [("I", "1.1", "", "10")],
            ("criteria", 0),
            "title",
            "Criterion 1.1 needs a title (at most 500 characters).",
        ),
    ],
)
def test_a_bad_criteria_tree_is_refused_on_its_row_and_field(
    client, people, block, criteria, form, field, message
):
    client.force_login(people["province"])
    response = client.post(edit_url(block), covenant_post(GROUPS[:1], criteria))
    assert response.status_code == 400
    prefix, index = form
    row = response.context[prefix].forms[index]
    assert message in row.errors[field], row.errors
    assert message in response.content.decode()
    assert not Covenant.objects.exists()


def test_a_bad_cap_and_a_bad_deadline_are_shown_together(client, people, block):
    client.force_login(people["province"])
    response = client.post(
        edit_url(block),
        covenant_post(
            [("I", "Nhiệm vụ", "base", ""), ("II", "Điểm thưởng", "bonus", "-1")],
            [("I", "1.1", "Thu ngân sách", "10"), ("II", "2.1", "Mô hình", "3")],
            scoring_deadline="2019-12-31",
        ),
    )
    assert response.status_code == 400
    assert response.context["groups"].forms[1].errors["cap"] == [
        "Group II: the cap is a positive number."
    ]
    assert response.context["header"].errors["scoring_deadline"] == [
        "The scoring deadline falls in or after the block's year."
    ]
    assert not Covenant.objects.exists()


def test_a_tree_without_criteria_is_refused_with_a_message_for_the_page(client, people, block):
    client.force_login(people["province"])
    response = client.post(edit_url(block), covenant_post([("", "", "base", "")], []))
    assert response.status_code == 400
    assert response.context["tree_errors"] == ["A covenant needs at least one criteria group."]


def test_more_rows_keeps_what_was_typed(client, people, block):
    client.force_login(people["province"])
    data = covenant_post(GROUPS, CRITERIA, title="Đang soạn")
    del data["save"]
    data["more"] = "1"
    response = client.post(edit_url(block), data)
    assert response.status_code == 200
    groups, criteria = response.context["groups"], response.context["criteria"]
    assert [g["code"] for g in groups.initial] == ["I", "II", "III"]
    assert len(groups.forms) == 3 + 2 and len(criteria.forms) == 4 + 5
    assert response.context["header"].initial["title"] == "Đang soạn"
    assert not Covenant.objects.exists()


def test_the_edit_page_is_offered_on_the_dashboard_only_to_the_organiser(client, people, block):
    client.force_login(people["kb"])
    page = client.get(reverse("emulation:block", args=[block.year, block.code]))
    assert edit_url(block) not in page.content.decode()


def test_an_open_covenant_page_offers_no_change(client, people, block):
    make_covenant(block)
    client.force_login(people["province"])
    page = client.get(reverse("emulation:covenant", args=[block.year, block.code]))
    assert edit_url(block) not in page.content.decode()


# --------------------------------------------------------------------------- the verbs behind


def test_every_problem_of_a_tree_is_reported_at_once_naming_row_and_field(block):
    groups = [
        services.GroupSpec(
            "A",
            "",
            criteria=[
                services.CriterionSpec("A1", "Thu ngân sách", -1),
                services.CriterionSpec("A2", "", 5),
                services.CriterionSpec("A3", "Ba", "1.005"),
            ],
        )
    ]
    with pytest.raises(ValidationError) as refused:
        services.create_covenant(
            block, title="Giao ước", scoring_deadline=D(2020, 12, 15), groups=groups, actor=SYSTEM
        )
    errors = refused.value.error_dict["criteria"]
    assert [(e.params["row"], e.params["code"], e.params["field"]) for e in errors] == [
        ("group", "A", "title"),
        ("criterion", "A1", "max_points"),
        ("criterion", "A2", "title"),
        ("criterion", "A3", "max_points"),
    ]
    assert refused.value.messages[-1] == (
        "Criterion A3 maximum: at most two decimals and below 10.000."
    )
    assert not Covenant.objects.exists()


def test_roles_are_named_by_a_decision_with_a_date(world, block):
    with pytest.raises(ValidationError) as refused:
        services.name_block_roles(
            block, leader=world["KB"], decision_number="5/QĐ", decision_date=None, actor=SYSTEM
        )
    assert refused.value.message_dict == {"decision_date": ["The naming decision needs a date."]}
    assert not BlockRole.objects.exists()


def test_a_block_takes_only_members_its_organiser_may_see(world, people):
    with pytest.raises(PermissionDenied):
        services.set_up_block(
            code="KHOI",
            year=2020,
            name="Khối",
            organiser=world["province"],
            members=[world["KB"], world["elsewhere"]],
            actor=people["province"],
        )
    assert not Block.objects.exists()


# --------------------------------------------------------------------------- copying


def test_the_organiser_copies_last_years_block_and_covenant_criteria(client, people, covenant):
    block = covenant.block
    client.force_login(people["province"])
    response = client.post(reverse("emulation:copy_block", args=[block.year, block.code]))
    new = Block.objects.get(code=block.code, year=block.year + 1)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("emulation:block", args=[new.year, new.code])
    )
    assert sorted(new.memberships.values_list("unit__code", flat=True)) == sorted(
        block.memberships.values_list("unit__code", flat=True)
    )
    copied = Covenant.objects.get(block=new)
    assert copied.status == CovenantStatus.DRAFT
    assert copied.scoring_deadline.year == new.year
    assert list(
        Criterion.objects.filter(covenant=copied).values_list("code", "title", "max_points")
    ) == list(
        Criterion.objects.filter(covenant=covenant).values_list("code", "title", "max_points")
    )
    entry = AuditEntry.objects.get(action="emulation.block.copy")
    assert entry.after["from"] == {"code": block.code, "year": block.year}


@pytest.mark.parametrize("who, status", [("kb", 403), ("kb_viewer", 403), ("other_unit", 404)])
def test_only_the_organiser_copies_a_block(client, people, covenant, who, status):
    block = covenant.block
    client.force_login(people[who])
    response = client.post(reverse("emulation:copy_block", args=[block.year, block.code]))
    assert response.status_code == status
    assert not Block.objects.filter(year=block.year + 1).exists()
    assert not AuditEntry.objects.filter(action="emulation.block.copy").exists()


def test_copying_twice_is_refused_with_a_message(client, people, covenant):
    block = covenant.block
    client.force_login(people["province"])
    url = reverse("emulation:copy_block", args=[block.year, block.code])
    client.post(url)
    response = client.post(url, follow=True)
    assert Block.objects.filter(code=block.code, year=block.year + 1).count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_block_form_chooses_units_by_name(client, people, world):
    """Members, leader and deputies are unit pickers (names shown, codes sent)."""
    client.force_login(people["province"])
    html = client.get(reverse("emulation:block_new")).content.decode()
    assert '<select name="members"' in html and "multiple" in html
    assert f'<option value="KB">{world["KB"].name}</option>' in html
    assert html.count('class="unit-picker-search"') == 3
