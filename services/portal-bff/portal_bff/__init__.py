"""Portico portal-bff: the customers' way in (accounts, sessions, the portal's pages and API)."""

SERVICE = "portal-bff"
