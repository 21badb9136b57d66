"""Property tests of the money rules over random sequences of invoices, payments, refunds and credit notes.

After every step: the balance is the sum of the ledger; allocations never exceed a payment
or an invoice; paid + due = total; no invoice is Paid with something due; credit and open
invoices never exist together; and the books audit clean.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from billing import allocation, customers, ledger, manual_documents, payments
from billing.finance_models import Allocation, DocumentType, Invoice, InvoiceStatus, LedgerEntry, Payment
from billing.models import Customer, Partner

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500.00"), places=2)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), amounts),
        st.tuples(st.just("pay"), amounts, st.booleans()),
        st.tuples(st.just("refund"), st.integers(0, 5), amounts),
        st.tuples(st.just("credit"), st.integers(0, 5), amounts),
    ),
    min_size=1,
    max_size=12,
)


def check_books(session, customer_id: int) -> None:
    balance = ledger.balance(session, customer_id)
    entries = session.scalars(select(LedgerEntry.amount).where(LedgerEntry.customer_id == customer_id)).all()
    assert balance == sum(entries, Decimal(0))
    assert ledger.audit(session, customer_id) == []
    for payment in session.scalars(select(Payment).where(Payment.customer_id == customer_id)):
        applied = session.scalar(select(func.sum(Allocation.amount)).where(Allocation.payment_id == payment.id))
        assert Decimal(applied or 0) <= payment.amount
    for invoice in session.scalars(
        select(Invoice).where(Invoice.customer_id == customer_id, Invoice.document_type == DocumentType.INVOICE)
    ):
        assert invoice.amount_paid + invoice.amount_due == invoice.total
        assert not (invoice.status == InvoiceStatus.PAID and invoice.amount_due > 0)
        assert Decimal(0) <= invoice.amount_paid <= invoice.total
    credit = allocation.credit(session, customer_id)
    assert not (credit > 0 and allocation.total_due(session, customer_id) > 0)
    assert credit >= 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_books_always_agree(db, steps):
    with db.transaction() as session:
        partner = session.scalar(select(Partner).limit(1))
        if partner is None:
            partner = Partner(name="P", created_at=NOW)
            session.add(partner)
            session.flush()
        number = session.scalar(select(func.count()).select_from(Customer)) + 1
        customer = customers.create_customer(
            session,
            {"login": f"customer{number}", "full_name": "C", "partner_id": partner.id},
            now=NOW,
            actor="test",
        )
        made_payments: list[int] = []
        made_invoices: list[int] = []
        for step in steps:
            with session.begin_nested():
                kind = step[0]
                if kind == "invoice":
                    lines = [
                        {
                            "description": "x",
                            "quantity": Decimal(1),
                            "unit_price": step[1],
                            "discount_percent": Decimal(0),
                        }
                    ]
                    made_invoices.append(
                        manual_documents.issue_manual(
                            session,
                            customer.id,
                            lines,
                            proforma=False,
                            note=None,
                            on=date(2026, 11, 1),
                            now=NOW,
                            actor="t",
                        ).id
                    )
                elif kind == "pay":
                    chosen = made_invoices[-1:] if step[2] else None
                    open_ids = (
                        {i.id for i in allocation.open_invoices(session, customer.id, chosen)} if chosen else None
                    )
                    made_payments.append(
                        payments.record_payment(
                            session,
                            customer.id,
                            step[1],
                            method="cash",
                            on=date(2026, 11, 2),
                            now=NOW,
                            actor="t",
                            invoice_ids=list(open_ids) if open_ids else None,
                        ).id
                    )
                elif kind == "refund" and made_payments:
                    payment = session.get(Payment, made_payments[step[1] % len(made_payments)])
                    amount = min(step[2], payment.amount - payment.refunded_amount)
                    if amount > 0:
                        payments.refund(
                            session, payment.id, amount, reason=None, on=date(2026, 11, 3), now=NOW, actor="t"
                        )
                elif kind == "credit" and made_invoices:
                    invoice = session.get(Invoice, made_invoices[step[1] % len(made_invoices)])
                    credited = -sum(
                        (
                            i.total
                            for i in session.scalars(select(Invoice).where(Invoice.credited_invoice_id == invoice.id))
                        ),
                        Decimal(0),
                    )
                    amount = min(step[2], invoice.total - credited)
                    if amount > 0:
                        manual_documents.issue_credit_note(
                            session,
                            invoice.id,
                            amount,
                            description="c",
                            note=None,
                            on=date(2026, 11, 4),
                            now=NOW,
                            actor="t",
                        )
            check_books(session, customer.id)
