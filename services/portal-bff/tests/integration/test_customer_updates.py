"""The account keeps billing's login, partner and status current; older snapshots change nothing."""

import pytest

from portico.events.consumer import RetryLater


def replica(account) -> tuple:
    return (account.login, account.partner_id, account.customer_status, account.customer_revision)


def test_a_newer_revision_updates_login_partner_and_status(handle, customer_created, customer_updated, stored):
    handle(customer_created(7, login="jane", partner_id=1, status="new"))

    handle(customer_updated(7, revision=2, login="jane.doe", partner_id=4, status="blocked"))

    assert replica(stored.account(7)) == ("jane.doe", 4, "blocked", 2)


@pytest.mark.parametrize("stale_revision", [1, 2])
def test_an_older_or_the_same_revision_changes_nothing(
    handle, customer_created, customer_updated, stored, stale_revision
):
    handle(customer_created(7, login="jane"))
    handle(customer_updated(7, revision=2, login="jane", status="active", partner_id=2))

    handle(customer_updated(7, revision=stale_revision, login="old", status="inactive", partner_id=9))

    assert replica(stored.account(7)) == ("jane", 2, "active", 2)


def test_revisions_arriving_out_of_order_end_at_the_newest(handle, customer_created, customer_updated, stored):
    handle(customer_created(7, login="jane"))

    handle(customer_updated(7, revision=3, login="jane", status="blocked"))
    handle(customer_updated(7, revision=2, login="jane", status="active"))

    assert replica(stored.account(7)) == ("jane", 1, "blocked", 3)


def test_an_update_for_a_customer_with_no_account_yet_waits_for_its_creation(handle, customer_updated, stored):
    with pytest.raises(RetryLater):
        handle(customer_updated(7, revision=2, status="active"))
    assert stored.accounts() == []


def test_a_login_still_held_by_another_account_waits(handle, customer_created, customer_updated, stored):
    handle(customer_created(7, login="jane"))
    handle(customer_created(8, login="john"))

    with pytest.raises(RetryLater):
        handle(customer_updated(8, revision=2, login="jane"))

    handle(customer_updated(7, revision=2, login="jane.old"))
    handle(customer_updated(8, revision=2, login="jane"))
    assert [replica(a)[0] for a in stored.accounts()] == ["jane.old", "jane"]
