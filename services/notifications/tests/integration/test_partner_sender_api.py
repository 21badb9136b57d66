"""Operators set each partner's email sender and reply-to."""

import pytest


def test_a_partner_sender_is_set_read_and_removed(client, operator):
    url = "/admin/v1/partners/2/sender"
    assert client.get(url, headers=operator).status_code == 404

    saved = client.put(
        url, json={"mail_from": "Fibre Co <care@fibre.example>", "reply_to": "help@fibre.example"}, headers=operator
    )

    assert saved.status_code == 200, saved.get_json()
    assert client.get(url, headers=operator).get_json()["mail_from"] == "Fibre Co <care@fibre.example>"
    assert client.delete(url, headers=operator).status_code == 204
    assert client.get(url, headers=operator).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"mail_from": "not an address"},
        {"mail_from": "Fibre <care@fibre.example>\r\nBcc: x@example.com"},
        {"mail_from": "care@fibre.example", "reply_to": "nope"},
        {"reply_to": "help@fibre.example"},
    ],
)
def test_bad_senders_are_422_and_not_stored(client, operator, payload):
    url = "/admin/v1/partners/2/sender"
    assert client.put(url, json=payload, headers=operator).status_code == 422
    assert client.get(url, headers=operator).status_code == 404
