"""The Finance pages read from billing (summary, invoices, proformas, payments) and documents (PDFs),
and what the customer does through billing: pay at a gateway, keep payment accounts, autopay."""

from urllib.parse import urlsplit

import requests
from sqlalchemy import func, select

UNAVAILABLE = {"status": "unavailable"}
DEMO = {"finance": {"payment_methods": ["demo"]}}
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2099}


def checkouts_in_billing(upstreams) -> int:
    from billing.gateway_models import GatewayCheckout

    with upstreams["billing"].db.reading() as session:
        return session.scalar(select(func.count()).select_from(GatewayCheckout))


def in_billing(seed, customer: dict, rest: str) -> dict:
    """What billing holds for the customer (its customer-scoped API, as an operator reads it)."""
    return seed.admin("billing", "GET", f"/v1/customers/{customer['id']}{rest}").json()


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


def test_paying_an_invoice_opens_a_checkout_at_billing_and_the_gateway_sends_the_customer_back(
    jane, customer, seed, configure, upstreams
):
    configure(customer["partner_id"], DEMO)
    invoice = seed.invoice(customer["id"], "10.00", "2.50")
    form = {"gateway": "demo", "invoice_ids": [invoice["id"]], "return_to": "/finance/invoices"}

    opened = jane.post("/api/v1/finance/checkouts", json=form, headers={"Idempotency-Key": "pay-1"})
    again = jane.post("/api/v1/finance/checkouts", json=form, headers={"Idempotency-Key": "pay-1"})

    assert opened.status_code == again.status_code == 201, opened.get_json()
    checkout = opened.get_json()
    assert again.get_json()["checkout_id"] == checkout["checkout_id"]
    assert (checkout["amount"], checkout["invoice_ids"], checkout["status"]) == (
        invoice["total"],
        [invoice["id"]],
        "pending",
    )
    assert "customer_id" not in checkout and "/gateway/demo/checkout/" in checkout["url"]
    assert checkouts_in_billing(upstreams) == 1
    held = in_billing(seed, customer, f"/checkouts/{checkout['checkout_id']}")
    assert (held["invoice_ids"], held["amount"]) == ([invoice["id"]], invoice["total"])
    gateway = upstreams["billing"].served.url + "/gateway/" + checkout["url"].split("/gateway/", 1)[1]
    paid = requests.post(
        gateway,
        data={"action": "pay", "card_number": CARD["number"], "exp_month": "12", "exp_year": "2099"},
        allow_redirects=False,
        timeout=10,
    )
    back = urlsplit(paid.headers["Location"])
    returned = jane.get(f"{back.path}?{back.query}")
    assert (back.netloc, back.path) == ("portal.example.net", "/finance/payments/return")
    assert returned.headers["Location"] == "/finance/invoices?notice=payment_paid"
    assert jane.get(f"/api/v1/finance/invoices/{invoice['id']}").get_json()["invoice"]["item"]["status"] == "paid"


def test_the_total_due_and_a_prepaid_top_up_are_paid_without_choosing_invoices(jane, customer, seed, configure):
    configure(customer["partner_id"], DEMO)
    seed.invoice(customer["id"], "10.00")
    seed.invoice(customer["id"], "5.00")
    due = jane.get("/api/v1/finance/invoices").get_json()["summary"]["total_due"]

    total = jane.post("/api/v1/finance/checkouts", json={"gateway": "demo"})
    top_up = jane.post("/api/v1/finance/checkouts", json={"gateway": "demo", "amount": "15.50"})

    assert total.status_code == top_up.status_code == 201
    assert (total.get_json()["amount"], total.get_json()["invoice_ids"]) == (due, [])
    assert top_up.get_json()["amount"] == "15.50"


def test_a_checkout_that_is_not_allowed_is_refused_and_opens_nothing(
    jane, customer, seed, configure, upstreams, problem
):
    configure(customer["partner_id"], DEMO)
    invoice = seed.invoice(customer["id"], "10.00")
    theirs = seed.invoice(seed.customer("john.roe")["id"], "9.00")
    asked = upstreams["billing"].proxy.connections

    for form, field in [
        ({"gateway": "bank_card", "invoice_ids": [invoice["id"]]}, "gateway"),  # not a method the portal offers
        ({"gateway": "demo", "amount": "0.001"}, "amount"),
        ({"gateway": "demo", "amount": "NaN"}, "amount"),
        ({"gateway": "demo", "return_to": "//evil.example/"}, "return_to"),
        ({"gateway": "demo", "return_to": "https://evil.example/"}, "return_to"),
        ({"gateway": "demo", "invoice_ids": [invoice["id"], invoice["id"]]}, "invoice_ids"),
    ]:
        assert field in problem(jane.post("/api/v1/finance/checkouts", json=form), 422)["errors"], form
    assert upstreams["billing"].proxy.connections == asked
    problem(jane.post("/api/v1/finance/checkouts", json={"gateway": "demo", "invoice_ids": [theirs["id"]]}), 404)
    assert checkouts_in_billing(upstreams) == 0


def test_payment_accounts_and_autopay(jane, customer, seed, configure):
    configure(customer["partner_id"], DEMO)

    card = jane.post("/api/v1/finance/payment-accounts", json={"gateway": "demo", "card": CARD})
    autopay = jane.put("/api/v1/finance/autopay", json={"enabled": True})
    bank = jane.post(
        "/api/v1/finance/payment-accounts",
        json={"gateway": "demo", "bank_account": {"iban": "DE89370400440532013000", "holder_name": "Jane Doe"}},
    )
    default = jane.patch(f"/api/v1/finance/payment-accounts/{bank.get_json()['id']}", json={"is_default": True})
    removed = jane.delete(f"/api/v1/finance/payment-accounts/{card.get_json()['id']}")
    page = jane.get("/api/v1/finance/payment-accounts").get_json()

    assert card.status_code == bank.status_code == 201, card.get_json()
    assert (card.get_json()["masked"], card.get_json()["is_default"]) == ("•••• 4242", True)
    assert autopay.status_code == 200 and autopay.get_json()["enabled"] is True
    assert default.status_code == 200 and default.get_json()["is_default"] is True
    assert removed.status_code == 204
    [account] = page["accounts"]["items"]
    assert (account["kind"], account["is_default"]) == ("bank_account", True)
    assert page["autopay"]["status"] == "ok" and page["autopay"]["enabled"] is True
    assert page["autopay"]["payment_account"]["id"] == account["id"]
    assert page["payment_methods"] == ["demo"]
    held = in_billing(seed, customer, "/autopay")
    assert (held["enabled"], held["payment_account"]["id"]) == (True, account["id"])
    assert [a["id"] for a in in_billing(seed, customer, "/payment-accounts")["items"]] == [account["id"]]


def test_autopay_without_a_saved_account_is_refused(jane, customer, seed, configure, problem):
    configure(customer["partner_id"], DEMO)

    problem(jane.put("/api/v1/finance/autopay", json={"enabled": True}), 409)

    assert in_billing(seed, customer, "/autopay")["enabled"] is False


def test_a_payment_account_that_is_not_allowed_is_refused_before_billing_is_asked(
    jane, customer, configure, upstreams, problem
):
    configure(customer["partner_id"], DEMO)
    asked = upstreams["billing"].proxy.connections
    bank = {"iban": "DE89370400440532013000", "holder_name": "Jane Doe"}

    for body, field in [
        ({"gateway": "demo", "card": CARD, "bank_account": bank}, "_schema"),
        ({"gateway": "demo", "card": CARD | {"exp_month": 13}}, "card"),
        ({"gateway": "bank_card", "card": CARD}, "gateway"),
    ]:
        assert field in problem(jane.post("/api/v1/finance/payment-accounts", json=body), 422)["errors"], body
    problem(jane.patch("/api/v1/finance/payment-accounts/1", json={"is_default": False}), 422)
    assert upstreams["billing"].proxy.connections == asked


def test_another_customers_payment_account_is_not_found(jane, customer, seed, configure, signed_in_as, problem):
    john_customer = seed.customer("john.roe")
    configure(customer["partner_id"], DEMO)
    john = signed_in_as(john_customer)
    theirs = john.post("/api/v1/finance/payment-accounts", json={"gateway": "demo", "card": CARD}).get_json()

    problem(jane.patch(f"/api/v1/finance/payment-accounts/{theirs['id']}", json={"is_default": True}), 404)
    problem(jane.delete(f"/api/v1/finance/payment-accounts/{theirs['id']}"), 404)

    assert [a["id"] for a in in_billing(seed, john_customer, "/payment-accounts")["items"]] == [theirs["id"]]


def test_a_hidden_finance_module_takes_no_payment(jane, customer, configure, upstreams, problem):
    configure(customer["partner_id"], DEMO | {"menu": {"finance": False}})

    problem(jane.post("/api/v1/finance/checkouts", json={"gateway": "demo", "amount": "5.00"}), 404)
    problem(jane.get("/api/v1/finance/payment-accounts"), 404)
    problem(jane.post("/api/v1/finance/payment-accounts", json={"gateway": "demo", "card": CARD}), 404)
    problem(jane.put("/api/v1/finance/autopay", json={"enabled": False}), 404)
    assert checkouts_in_billing(upstreams) == 0


def test_a_read_only_impersonation_sees_payment_accounts_but_pays_nothing(
    customer, seed, configure, impersonating, upstreams, problem
):
    configure(customer["partner_id"], DEMO)
    operator = impersonating(customer)

    assert operator.get("/api/v1/finance/payment-accounts").status_code == 200
    for response in (
        operator.post("/api/v1/finance/checkouts", json={"gateway": "demo", "amount": "5.00"}),
        operator.post("/api/v1/finance/payment-accounts", json={"gateway": "demo", "card": CARD}),
        operator.put("/api/v1/finance/autopay", json={"enabled": False}),
    ):
        assert problem(response, 403)["title"] == "Read-only session"
    assert checkouts_in_billing(upstreams) == 0
    assert in_billing(seed, customer, "/payment-accounts")["items"] == []
