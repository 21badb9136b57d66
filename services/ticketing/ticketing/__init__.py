"""Portico ticketing: customers' tickets, their comments and attachments."""

SERVICE = "ticketing"
