"""A customer reads only their own replica record; operators read any."""

PUBLIC_FIELDS = {"id": 7, "login": "jane.doe", "full_name": "Jane Doe", "partner_id": 1, "status": "new"}


def test_customer_reads_own_record_with_only_public_fields(client, replicated, as_customer):
    replicated(customer_id=7)

    response = client.get("/v1/customers/7", headers=as_customer(7))

    assert response.status_code == 200
    assert response.get_json() == PUBLIC_FIELDS


def test_another_customers_token_gets_not_found(client, replicated, as_customer):
    replicated(customer_id=7)

    response = client.get("/v1/customers/7", headers=as_customer(8))

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "Jane" not in response.get_data(as_text=True)


def test_operator_reads_any_customer(client, replicated, operator):
    replicated(customer_id=7)

    response = client.get("/v1/customers/7", headers=operator)

    assert response.status_code == 200
    assert response.get_json() == PUBLIC_FIELDS


def test_no_token_is_unauthorized(client, replicated):
    replicated(customer_id=7)

    response = client.get("/v1/customers/7")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_unknown_customer_is_not_found_problem(client, operator, as_customer):
    for headers in (operator, as_customer(12345)):
        response = client.get("/v1/customers/12345", headers=headers)

        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["title"] == "Not found"
