"""The Finance pages read from billing (summary, invoices, proformas, payments) and documents (PDFs)."""

UNAVAILABLE = {"status": "unavailable"}


def test_the_invoices_page_shows_the_balance_and_the_invoices(jane, customer, seed):
    first = seed.invoice(customer["id"], "10.00", "2.50")
    seed.invoice(customer["id"], "5.00")

    page = jane.get("/api/v1/finance/invoices").get_json()

    summary = page["summary"]
    assert summary["status"] == "ok"
    assert summary["balance"]["sense"] == "owe"
    assert summary["unpaid_invoices"] == 2
    assert "customer_id" not in summary
    numbers = [i["number"] for i in page["invoices"]["items"]]
    assert len(numbers) == 2 and first["number"] in numbers
    assert all(i["status"] == "unpaid" for i in page["invoices"]["items"])
    assert not {"customer_id", "customer", "lines"} & set(page["invoices"]["items"][0])


def test_one_invoice_with_its_lines_and_explanation(jane, customer, seed):
    invoice = seed.invoice(customer["id"], "10.00", "2.50", note="Thank you for your order.")

    page = jane.get(f"/api/v1/finance/invoices/{invoice['id']}").get_json()

    item = page["invoice"]["item"]
    assert (item["number"], item["total"], item["note"]) == (invoice["number"], invoice["total"], invoice["note"])
    assert [line["description"] for line in item["lines"]] == ["Item 1", "Item 2"]
    assert "service_id" not in item["lines"][0]
    assert page["explanation"]["status"] == "ok"
    assert isinstance(page["explanation"]["changes"], list)


def test_the_dashboard_balance_and_unpaid_invoices_follow_a_payment(jane, customer, seed):
    invoice = seed.invoice(customer["id"], "20.00")
    before = jane.get("/api/v1/dashboard").get_json()
    seed.payment(customer["id"], invoice["total"], note="operator-only remark")
    after = jane.get("/api/v1/dashboard").get_json()

    assert before["balance"]["balance"]["sense"] == "owe"
    assert [i["number"] for i in before["unpaid_invoices"]["items"]] == [invoice["number"]]
    assert after["balance"]["balance"]["sense"] == "settled"  # read your writes: nothing cached
    assert after["unpaid_invoices"] == {"status": "ok", "items": []}
    assert {"payment_due", "account_suspension"} <= set(after)


def test_payments_and_proformas(jane, customer, seed):
    seed.invoice(customer["id"], "20.00")
    seed.invoice(customer["id"], "7.00", proforma=True)
    payment = seed.payment(customer["id"], "20.00", note="operator-only remark")

    payments = jane.get("/api/v1/finance/payments").get_json()
    one = jane.get(f"/api/v1/finance/payments/{payment['id']}").get_json()
    proformas = jane.get("/api/v1/finance/proformas").get_json()

    [listed] = payments["payments"]["items"]
    assert (listed["number"], listed["amount"], listed["method"]) == (payment["number"], "20.00", "bank_transfer")
    assert "operator-only" not in str(payments) + str(one)
    assert one["payment"]["item"]["allocations"][0]["amount"] == "20.00"
    [proforma] = proformas["proformas"]["items"]
    assert proforma["document_type"] == "proforma" and proforma["total"] == "7.00"


def test_another_customers_invoice_and_payment_are_not_found(jane, customer, seed, problem):
    other = seed.customer("john.roe")
    invoice = seed.invoice(other["id"], "9.00")
    payment = seed.payment(other["id"], "9.00")

    problem(jane.get(f"/api/v1/finance/invoices/{invoice['id']}"), 404)
    problem(jane.get(f"/api/v1/finance/payments/{payment['id']}"), 404)


def test_billing_down_leaves_the_finance_pages_unavailable(jane, customer, upstreams):
    upstreams["billing"].proxy.down()

    assert jane.get("/api/v1/finance/invoices").get_json() == {
        "summary": UNAVAILABLE,
        "invoices": UNAVAILABLE,
        "payment_methods": [],
    }
    assert jane.get("/api/v1/finance/invoices/1").get_json() == {"invoice": UNAVAILABLE, "explanation": UNAVAILABLE}
    assert jane.get("/api/v1/finance/payments/1").get_json() == {"payment": UNAVAILABLE}
    assert jane.get("/api/v1/finance/proformas").get_json() == {"proformas": UNAVAILABLE}


def test_the_partners_payment_methods_are_on_the_invoices_page(jane, customer, configure):
    configure(customer["partner_id"], {"finance": {"payment_methods": ["card", "bank_transfer"]}})

    assert jane.get("/api/v1/finance/invoices").get_json()["payment_methods"] == ["card", "bank_transfer"]


def test_a_hidden_finance_module_answers_404(jane, customer, configure, problem):
    configure(customer["partner_id"], {"menu": {"finance": False}})

    for path in ("/api/v1/finance/invoices", "/api/v1/finance/payments", "/api/v1/finance/documents"):
        problem(jane.get(path), 404)
