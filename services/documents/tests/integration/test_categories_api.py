"""Operators manage the list of document categories."""


def test_operators_add_rename_and_remove_categories(client, operator):
    created = client.post("/admin/v1/document-categories", json={"name": "Agreement"}, headers=operator)
    assert created.status_code == 201
    category = created.get_json()

    renamed = client.patch(
        f"/admin/v1/document-categories/{category['id']}", json={"name": "Agreements"}, headers=operator
    )
    assert renamed.get_json()["name"] == "Agreements"
    client.post("/admin/v1/document-categories", json={"name": "Certificate"}, headers=operator)

    listed = client.get("/admin/v1/document-categories", headers=operator).get_json()
    assert [c["name"] for c in listed] == ["Agreements", "Certificate"]
    assert client.delete(f"/admin/v1/document-categories/{category['id']}", headers=operator).status_code == 204
    assert [c["name"] for c in client.get("/admin/v1/document-categories", headers=operator).get_json()] == [
        "Certificate"
    ]


def test_a_duplicate_name_is_a_conflict(client, operator):
    first = client.post("/admin/v1/document-categories", json={"name": "Other"}, headers=operator).get_json()
    client.post("/admin/v1/document-categories", json={"name": "Certificate"}, headers=operator)

    assert client.post("/admin/v1/document-categories", json={"name": "Other"}, headers=operator).status_code == 409
    rename = client.patch(
        f"/admin/v1/document-categories/{first['id']}", json={"name": "Certificate"}, headers=operator
    )
    assert rename.status_code == 409
    assert sorted(c["name"] for c in client.get("/admin/v1/document-categories", headers=operator).get_json()) == [
        "Certificate",
        "Other",
    ]


def test_a_category_in_use_cannot_be_removed(client, operator, replicated, upload, files):
    replicated(customer_id=7)
    category = client.post("/admin/v1/document-categories", json={"name": "Certificate"}, headers=operator).get_json()
    upload(7, files["pdf"], "c.pdf", category_id=category["id"])

    response = client.delete(f"/admin/v1/document-categories/{category['id']}", headers=operator)

    assert response.status_code == 409
    assert len(client.get("/admin/v1/document-categories", headers=operator).get_json()) == 1


def test_bad_input_is_refused(client, operator):
    for body in ({}, {"name": ""}, {"name": "   "}, {"name": "x" * 81}, {"name": 5}, {"name": "A", "id": 3}):
        assert client.post("/admin/v1/document-categories", json=body, headers=operator).status_code == 422, body
    assert client.patch("/admin/v1/document-categories/99", json={"name": "X"}, headers=operator).status_code == 404
    assert client.delete("/admin/v1/document-categories/99", headers=operator).status_code == 404
    assert client.get("/admin/v1/document-categories", headers=operator).get_json() == []


def test_a_fresh_database_starts_with_the_default_categories(tmp_path):
    from pathlib import Path

    from sqlalchemy import create_engine, text

    from portico.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(Path(__file__).resolve().parents[2] / "migrations", url)
    engine = create_engine(url)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM document_categories ORDER BY id")).scalars().all()
    engine.dispose()
    assert names == ["Agreement", "Additional agreement", "Certificate", "Other"]
