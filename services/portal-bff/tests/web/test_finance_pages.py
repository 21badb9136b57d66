"""The Finance pages: invoices with their status badges and filter, one invoice, proformas, payments,
the PDFs, paying through the demo gateway, payment accounts and autopay; another customer's refused."""

import re

import requests

DEMO = {"finance": {"payment_methods": ["demo"]}}


def test_invoices_with_their_status_and_a_filter(jane, customer, seed):
    paid = seed.invoice(customer["id"], "10.00")
    seed.payment(customer["id"], paid["total"])
    unpaid = seed.invoice(customer["id"], "20.00")

    page = jane.text("/finance/invoices")
    only_unpaid = jane.text("/finance/invoices?status=unpaid")

    assert re.search(rf'data-invoice="{paid["number"]}">.*?Paid', page, re.S)
    assert re.search(rf'data-invoice="{unpaid["number"]}">.*?Unpaid', page, re.S)
    assert unpaid["number"] in only_unpaid and paid["number"] not in only_unpaid
    assert jane.get("/finance/invoices?status=nonsense").status_code == 400


def test_an_invoice_its_lines_and_another_customers_refused(jane, customer, seed):
    mine = seed.invoice(customer["id"], "10.00", "2.50")
    other = seed.customer("someone.else", status="active", emails=["else@example.com"])
    theirs = seed.invoice(other["id"], "99.00")

    page = jane.text(f"/finance/invoices/{mine['id']}")
    refused = jane.get(f"/finance/invoices/{theirs['id']}")

    assert mine["number"] in page and "Item 1" in page and "Item 2" in page and "This is your first invoice." in page
    assert refused.status_code == 404 and theirs["number"] not in refused.get_data(as_text=True)


def test_proformas_payments_and_a_payment(jane, customer, seed):
    proforma = seed.invoice(customer["id"], "49.00", proforma=True)
    invoice = seed.invoice(customer["id"], "10.00")
    payment = seed.payment(customer["id"], "15.00")

    proformas = jane.text("/finance/proformas")
    payments = jane.text("/finance/payments")
    one = jane.text(f"/finance/payments/{payment['id']}")

    assert proforma["number"] in proformas
    assert payment["number"] in payments and "€15.00" in payments
    assert invoice["number"] in one and "Kept as credit" in one


def test_the_invoice_pdf_is_streamed_from_documents(jane, customer, seed):
    seed.invoice_pdf(customer["id"], customer["partner_id"], "INV-2026-000042")

    view = jane.get("/finance/pdf/invoice/INV-2026-000042?disposition=inline")
    download = jane.get("/finance/pdf/invoice/INV-2026-000042")
    missing = jane.get("/finance/pdf/invoice/INV-2026-999999")

    assert view.status_code == 200 and view.data.startswith(b"%PDF")
    assert view.headers["Content-Disposition"].startswith("inline")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert missing.status_code == 404


def test_paying_an_invoice_through_the_demo_gateway(jane, customer, seed, configure, upstreams):
    configure(customer["partner_id"], DEMO)
    invoice = seed.invoice(customer["id"], "10.00")
    jane.get("/")

    handover = jane.post("/finance/pay", {"gateway": "demo", "invoice_id": str(invoice["id"]), "next": "/"})
    url = re.search(
        r'href="([^"]+/gateway/demo/checkout/[^"]+)" data-auto-follow', handover.get_data(as_text=True)
    ).group(1)
    billing = upstreams["billing"].served.url
    gateway = url.replace(url.split("/gateway/")[0], billing)
    paid = requests.post(
        gateway,
        data={"action": "pay", "card_number": "4242424242424242", "exp_month": "12", "exp_year": "2099"},
        allow_redirects=False,
        timeout=10,
    )
    back = paid.headers["Location"]
    returned = jane.get(back[back.index("/finance/") :])
    page = jane.text(returned.headers["Location"])

    assert handover.status_code == 200 and "Continue to the payment page" in handover.get_data(as_text=True)
    assert paid.status_code == 303 and "status=paid" in back
    assert returned.headers["Location"] == "/?notice=payment_paid"
    assert "Thank you: your payment is received." in page and "Every invoice is paid. Thank you!" in page


def test_a_payment_method_the_config_does_not_offer_is_refused(jane, customer, seed, configure):
    configure(customer["partner_id"], DEMO)
    invoice = seed.invoice(customer["id"], "10.00")
    jane.get("/")

    refused = jane.post("/finance/pay", {"gateway": "bank_card", "invoice_id": str(invoice["id"])})

    assert refused.status_code == 422 and "This payment method is not offered." in refused.get_data(as_text=True)


def test_payment_accounts_and_autopay(jane, customer, configure):
    configure(customer["partner_id"], DEMO)
    jane.get("/finance/payment-accounts")

    saved = jane.post(
        "/finance/payment-accounts",
        {"kind": "card", "gateway": "demo", "number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2099"},
    )
    on = jane.post("/finance/autopay", {"enabled": "on"})
    page = jane.text("/finance/payment-accounts")

    assert saved.headers["Location"] == "/finance/payment-accounts?notice=account_saved"
    assert on.headers["Location"] == "/finance/payment-accounts?notice=autopay_on"
    assert "•••• 4242" in page and "Default" in page and "Turn autopay off" in page
