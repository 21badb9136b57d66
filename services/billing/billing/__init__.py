"""Portico billing: the source of truth for customers and money."""

SERVICE = "billing"
