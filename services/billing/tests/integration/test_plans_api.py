"""Operators make internet, voice and custom plans; bad plans are refused whole."""

import pytest

from billing.models import Plan, PlanPartner

INTERNET = {"download_mbps": 100, "upload_mbps": 20, "limit": None}
PLAN_BODIES = {
    "internet": {"kind": "internet", "name": "Fibre 100", "price": "25.00", "internet": INTERNET},
    "voice": {
        "kind": "voice",
        "name": "Voice 100",
        "price": "5.00",
        "voice": {"included_minutes": 100, "per_minute_rate": "0.0150"},
    },
    "custom": {"kind": "custom", "name": "Static IP", "price": "3.50"},
}
FUP = {"type": "fup", "traffic_gb": 500, "reduced_download_mbps": 10, "reduced_upload_mbps": 2}


def test_an_internet_plan_with_a_fup_limit_reads_back_as_made(client, operator, partner):
    body = PLAN_BODIES["internet"] | {
        "partner_ids": [partner["id"]],
        "self_service": True,
        "requires_approval": True,
        "internet": INTERNET | {"limit": FUP},
    }
    created = client.post("/admin/v1/plans", json=body, headers=operator)

    assert created.status_code == 201
    plan = client.get(f"/admin/v1/plans/{created.get_json()['id']}", headers=operator).get_json()
    assert plan["kind"] == "internet"
    assert plan["price"] == "25.00"
    assert plan["partner_ids"] == [partner["id"]]
    assert (plan["self_service"], plan["requires_approval"]) == (True, True)
    assert plan["internet"] == {"download_mbps": 100, "upload_mbps": 20, "limit": FUP}
    assert plan["voice"] is None


def test_voice_and_custom_plans(make_plan):
    voice = make_plan("voice")
    custom = make_plan("custom")
    assert voice["voice"] == {"included_minutes": 100, "per_minute_rate": "0.0150"}
    assert voice["internet"] is None
    assert custom["internet"] is None and custom["voice"] is None
    assert custom["partner_ids"] == [] and custom["self_service"] is False


BAD_PLANS = {
    "no kind": {"name": "X", "price": "1.00"},
    "unknown kind": {"kind": "tv", "name": "X", "price": "1.00"},
    "negative price": PLAN_BODIES["custom"] | {"price": "-1.00"},
    "three places": PLAN_BODIES["custom"] | {"price": "1.005"},
    "price not a number": PLAN_BODIES["custom"] | {"price": "ten"},
    "internet without speeds": {"kind": "internet", "name": "X", "price": "1.00"},
    "zero speed": PLAN_BODIES["internet"] | {"internet": INTERNET | {"download_mbps": 0}},
    "speed as string": PLAN_BODIES["internet"] | {"internet": INTERNET | {"download_mbps": "100"}},
    "cap with reduced speed": PLAN_BODIES["internet"]
    | {"internet": INTERNET | {"limit": {"type": "cap", "traffic_gb": 100, "reduced_download_mbps": 5}}},
    "fup without reduced speed": PLAN_BODIES["internet"]
    | {"internet": INTERNET | {"limit": {"type": "fup", "traffic_gb": 100}}},
    "fup faster than the plan": PLAN_BODIES["internet"]
    | {"internet": INTERNET | {"limit": FUP | {"reduced_upload_mbps": 50}}},
    "limit of zero": PLAN_BODIES["internet"] | {"internet": INTERNET | {"limit": {"type": "cap", "traffic_gb": 0}}},
    "custom with speeds": PLAN_BODIES["custom"] | {"internet": INTERNET},
    "voice without rate": {"kind": "voice", "name": "X", "price": "1.00", "voice": {"included_minutes": 5}},
    "voice with five places": PLAN_BODIES["voice"] | {"voice": {"per_minute_rate": "0.00001"}},
    "internet with voice settings": PLAN_BODIES["internet"] | {"voice": PLAN_BODIES["voice"]["voice"]},
    "unknown partner": PLAN_BODIES["custom"] | {"partner_ids": [999]},
    "partner twice": PLAN_BODIES["custom"] | {"partner_ids": [1, 1]},
    "unknown field": PLAN_BODIES["custom"] | {"colour": "red"},
}


@pytest.mark.parametrize("name", BAD_PLANS)
def test_bad_plans_are_refused_with_field_errors_and_nothing_is_written(client, operator, partner, count_rows, name):
    response = client.post("/admin/v1/plans", json=BAD_PLANS[name], headers=operator)

    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]
    assert count_rows(Plan) == 0
    assert count_rows(PlanPartner) == 0


def test_a_fup_error_names_the_nested_field(client, operator):
    body = PLAN_BODIES["internet"] | {"internet": INTERNET | {"limit": FUP | {"reduced_download_mbps": 100}}}
    errors = client.post("/admin/v1/plans", json=body, headers=operator).get_json()["errors"]
    assert list(errors["internet"]["limit"]) == ["reduced_download_mbps"]


def test_names_are_unique(client, operator, make_plan, count_rows):
    make_plan("custom")
    again = client.post("/admin/v1/plans", json=PLAN_BODIES["custom"], headers=operator)
    assert again.status_code == 409
    assert count_rows(Plan) == 1


def test_a_change_keeps_the_kind_and_checks_the_whole_plan(client, operator, make_plan):
    plan = make_plan("internet")
    url = f"/admin/v1/plans/{plan['id']}"

    changed = client.patch(url, json={"price": "30.00", "internet": INTERNET | {"limit": FUP}}, headers=operator)
    assert changed.status_code == 200
    assert changed.get_json()["price"] == "30.00"
    assert changed.get_json()["internet"]["limit"] == FUP

    assert client.patch(url, json={"kind": "voice"}, headers=operator).status_code == 422
    assert client.patch(url, json={"internet": None}, headers=operator).status_code == 422
    assert client.patch(url, json={"voice": {"per_minute_rate": "0.01"}}, headers=operator).status_code == 422
    assert client.get(url, headers=operator).get_json() == changed.get_json()

    cleared = client.patch(url, json={"internet": INTERNET}, headers=operator).get_json()
    assert cleared["internet"]["limit"] is None


def test_partner_filter_lists_plans_offered_to_that_partner(client, operator, partner, make_plan):
    other = client.post("/admin/v1/partners", json={"name": "Fibre North"}, headers=operator).get_json()
    everyone = make_plan("custom", name="Everyone")
    ours = make_plan("custom", name="Ours", partner_ids=[partner["id"]])
    make_plan("custom", name="Theirs", partner_ids=[other["id"]])

    listed = client.get(f"/admin/v1/plans?partner_id={partner['id']}", headers=operator).get_json()
    assert [p["id"] for p in listed["items"]] == [everyone["id"], ours["id"]]
    voice = client.get("/admin/v1/plans?kind=voice", headers=operator).get_json()
    assert voice["items"] == []


def test_plans_page_with_a_cursor(client, operator, make_plan):
    made = [make_plan("custom", name=f"Plan {n}")["id"] for n in range(5)]
    first = client.get("/admin/v1/plans?limit=3", headers=operator).get_json()
    second = client.get(f"/admin/v1/plans?limit=3&cursor={first['next_cursor']}", headers=operator).get_json()
    assert [p["id"] for p in first["items"] + second["items"]] == made
    assert second["next_cursor"] is None
    assert client.get("/admin/v1/plans?cursor=nonsense", headers=operator).status_code == 422


def test_a_plan_in_use_cannot_be_removed(client, operator, make_plan, make_customer, make_service, count_rows):
    used, unused = make_plan("custom", name="Used"), make_plan("custom", name="Unused")
    make_service(make_customer()["id"], used["id"])

    assert client.delete(f"/admin/v1/plans/{used['id']}", headers=operator).status_code == 409
    assert client.delete(f"/admin/v1/plans/{unused['id']}", headers=operator).status_code == 204
    assert client.get(f"/admin/v1/plans/{unused['id']}", headers=operator).status_code == 404
    assert count_rows(Plan) == 1


def test_plans_need_billing_scopes(client, as_customer, settings):
    from portico.auth import operator_token

    reader = {"Authorization": f"Bearer {operator_token(settings.jwt_secret, scopes=['billing:read'])}"}
    assert client.get("/admin/v1/plans", headers=reader).status_code == 200
    assert client.post("/admin/v1/plans", json=PLAN_BODIES["custom"], headers=reader).status_code == 403
    assert client.get("/admin/v1/plans", headers=as_customer(1)).status_code == 403
    assert client.get("/admin/v1/plans").status_code == 401
