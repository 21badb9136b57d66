"""Operators list customers: filters, text search, every sort both ways, cursor pages."""

import random
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import activity, customers
from billing.customer_queries import SORTS
from billing.models import Customer, Partner

LIST = "/admin/v1/customers"
NAMES = ["ann lee", "bob ray", "cy moe", "dee fox", "eve ng", "fay orr"]  # few, so sort keys tie
STATUS_PATH = {"active": [], "inactive": ["inactive"], "blocked": ["blocked"], "lead": ["lead"], "new": []}


@pytest.fixture
def population(db, count_rows):
    """120 customers of two partners, written through the domain rules in one transaction."""
    rng = random.Random(4)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with db.transaction() as session:
        partners = [Partner(name=name, created_at=start) for name in ("Main ISP", "Fibre North")]
        session.add_all(partners)
        session.flush()
        for i in range(120):
            now = start + timedelta(days=rng.randint(0, 9))
            values = {
                "login": f"user{i:03d}",
                "full_name": rng.choice(NAMES),
                "emails": [f"user{i:03d}@example.com"],
                "partner_id": rng.choice(partners).id,
                "location": rng.choice(["North", "South", None]),
                "billing_type": rng.choice(["recurring", "prepaid"]),
                "status": rng.choice(["new", "active"]),
            }
            record = customers.create_customer(session, values, now=now, actor=activity.SYSTEM)
            target = rng.choice(list(STATUS_PATH))
            if target not in ("new", "active") and record.status == "new":
                customers.update_customer(session, record.id, {"status": target}, now=now, actor=activity.SYSTEM)
    assert count_rows(Customer) == 120
    with db.reading() as session:
        rows = session.query(Customer).order_by(Customer.id).all()
        return [
            {
                "id": c.id,
                "login": c.login,
                "full_name": c.full_name,
                "date_added": c.date_added.isoformat(),
                "status": c.status,
                "partner_id": c.partner_id,
                "location": c.location,
                "billing_type": c.billing_type,
            }
            for c in rows
        ]


def listed(client, operator, **params) -> dict:
    response = client.get(f"{LIST}?{urlencode(params, doseq=True)}", headers=operator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["items"]]


def expected_order(population: list[dict], sort: str) -> list[int]:
    key = sort.removeprefix("-")
    ordered = sorted(population, key=lambda c: (c[key], c["id"]), reverse=sort.startswith("-"))
    return [c["id"] for c in ordered]


def test_the_first_page_holds_fifty_in_id_order_with_a_cursor(client, operator, population):
    page = listed(client, operator)
    assert ids(page) == [c["id"] for c in population[:50]]
    assert page["next_cursor"]
    assert page["items"][0]["login"] == "user000"


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_orders_every_customer_with_ties_by_id(client, operator, population, sort):
    assert ids(listed(client, operator, sort=sort, limit=200)) == expected_order(population, sort)


def test_filters_select_by_status_partner_location_and_billing_type(client, operator, population):
    def matching(predicate) -> list[int]:
        return [c["id"] for c in population if predicate(c)]

    page = listed(client, operator, status=["inactive", "lead"], limit=200)
    assert ids(page) == matching(lambda c: c["status"] in ("inactive", "lead"))
    partner_id = population[0]["partner_id"]
    assert ids(listed(client, operator, partner_id=partner_id, limit=200)) == matching(
        lambda c: c["partner_id"] == partner_id
    )
    assert ids(listed(client, operator, location="South", limit=200)) == matching(lambda c: c["location"] == "South")
    combined = listed(client, operator, billing_type="prepaid", status="active", location="North", limit=200)
    assert ids(combined) == matching(
        lambda c: (c["billing_type"], c["status"], c["location"]) == ("prepaid", "active", "North")
    )
    assert combined["items"] and combined["next_cursor"] is None
    assert listed(client, operator, partner_id=999)["items"] == []


def test_q_finds_text_in_login_name_emails_phones_street_and_city_ignoring_case(make_customer, client, operator):
    muller = make_customer(
        login="jm",
        full_name="Jöhn MÜLLER",
        emails=["Mixed.Case@Example.COM"],
        phones=["+44 113 496 0999"],
        street="12 Percent% Road",
        city="Leeds",
    )
    other = make_customer(login="other", full_name="Other Person", emails=["o@example.org"], city="York")
    billing_only = make_customer(login="bo", full_name="Bo", billing_emails=["accounts@payables.net"])

    for q in ("JM", "müller", "JÖHN", "mixed.case@example.com", "496 0999", "percent% road", "LEEDS"):
        assert ids(listed(client, operator, q=q)) == [muller["id"]], q
    assert ids(listed(client, operator, q="%")) == [muller["id"]]  # a literal percent sign, not a wildcard
    assert ids(listed(client, operator, q="payables")) == [billing_only["id"]]
    assert ids(listed(client, operator, q="york")) == [other["id"]]
    assert listed(client, operator, q="nobody")["items"] == []
    assert ids(listed(client, operator, q="_")) == []  # nor is an underscore


def test_q_follows_changes_to_the_record(make_customer, client, operator):
    customer = make_customer(city="Leeds")
    client.patch(f"{LIST}/{customer['id']}", json={"city": "Bradford"}, headers=operator)
    assert listed(client, operator, q="leeds")["items"] == []
    assert ids(listed(client, operator, q="bradford")) == [customer["id"]]


def test_pages_return_every_matching_customer_exactly_once_in_order(client, operator, population):
    filters = st.sampled_from([{}, {"status": ["active", "blocked"]}, {"location": "North"}, {"q": "user0"}])

    @settings(max_examples=25, deadline=None, database=None)
    @given(sort=st.sampled_from(SORTS), limit=st.integers(1, 60), extra=filters)
    def walk(sort, limit, extra):
        everything = ids(listed(client, operator, sort=sort, limit=200, **extra))
        seen, cursor = [], None
        while True:
            page = listed(client, operator, sort=sort, limit=limit, **extra, **({"cursor": cursor} if cursor else {}))
            assert len(page["items"]) <= limit
            seen += ids(page)
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == everything

    walk()


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"sort": "email"},
        {"sort": "--id"},
        {"status": "gone"},
        {"status": ["active", "gone"]},
        {"partner_id": "x"},
        {"partner_id": 0},
        {"billing_type": "monthly"},
        {"q": ""},
        {"q": "x" * 101},
        {"cursor": "garbage!"},
        {"cursor": "W10"},
        {"colour": "red"},
    ],
)
def test_bad_parameters_answer_422_with_the_field(client, operator, params):
    response = client.get(f"{LIST}?{urlencode(params, doseq=True)}", headers=operator)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == set(params)


def test_a_cursor_from_another_sort_order_is_refused(client, operator, population):
    cursor = listed(client, operator, sort="full_name", limit=5)["next_cursor"]
    assert listed(client, operator, sort="full_name", limit=5, cursor=cursor)["items"]
    response = client.get(f"{LIST}?{urlencode({'sort': '-full_name', 'cursor': cursor})}", headers=operator)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["cursor"]


def test_listing_needs_an_operator(client, as_customer):
    assert client.get(LIST).status_code == 401
    assert client.get(LIST, headers=as_customer(1)).status_code == 403
