"""The IP address recorded with an acceptance: the browser's, as the BFF forwards it."""

import pytest

from documents.acceptance import client_address


@pytest.mark.parametrize(
    ("forwarded", "peer", "expected"),
    [
        ("203.0.113.9, 10.0.0.2", "10.0.0.3", "203.0.113.9"),
        ("2001:db8::1", "10.0.0.3", "2001:db8::1"),
        (None, "198.51.100.4", "198.51.100.4"),
        ("not-an-ip, 10.0.0.2", "198.51.100.4", "198.51.100.4"),
        ("<script>", None, "unknown"),
    ],
)
def test_the_first_forwarded_address_else_the_peer(forwarded, peer, expected):
    assert client_address(forwarded, peer) == expected
