"""Operators comment on a customer; comments are signed and listed newest first."""

from billing.models import Activity, CustomerComment


def test_an_operator_adds_comments_signed_with_their_name(make_customer, client, operator, as_operator, db):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}/comments"

    first = client.post(url, json={"body": "Called about the router."}, headers=operator)
    second = client.post(url, json={"body": "Router replaced."}, headers=as_operator("maria"))

    assert first.status_code == second.status_code == 201
    assert first.get_json()["author"] == "admin"
    assert second.get_json() | {"id": 0, "created_at": None} == {
        "id": 0, "customer_id": customer["id"], "author": "maria", "body": "Router replaced.", "created_at": None,
    }  # fmt: skip
    page = client.get(url, headers=operator).get_json()
    assert [c["body"] for c in page["items"]] == ["Router replaced.", "Called about the router."]
    assert page["next_cursor"] is None
    with db.reading() as session:
        assert [c.author for c in session.query(CustomerComment).order_by(CustomerComment.id)] == ["admin", "maria"]


def test_comments_page_with_a_cursor(make_customer, client, operator):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}/comments"
    for n in range(5):
        client.post(url, json={"body": f"c{n}"}, headers=operator)
    first = client.get(f"{url}?limit=2", headers=operator).get_json()
    rest = client.get(f"{url}?limit=3&cursor={first['next_cursor']}", headers=operator).get_json()
    assert [c["body"] for c in first["items"] + rest["items"]] == ["c4", "c3", "c2", "c1", "c0"]
    assert rest["next_cursor"] is None


def test_bad_comments_are_refused_and_nothing_is_written(make_customer, client, operator, count_rows):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}/comments"
    for body in ({}, {"body": ""}, {"body": 5}, {"body": "x" * 5001}, {"body": "ok", "pinned": True}):
        response = client.post(url, json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.get_json()["errors"]
    assert client.post("/admin/v1/customers/999/comments", json={"body": "x"}, headers=operator).status_code == 404
    assert client.get("/admin/v1/customers/999/comments", headers=operator).status_code == 404
    assert client.get(f"{url}?cursor=nope", headers=operator).status_code == 422
    assert count_rows(CustomerComment) == 0
    assert count_rows(Activity) == 1  # the creation only
