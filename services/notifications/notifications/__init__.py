"""Portico notifications: portal messages and the email/SMS deliveries sent to customers."""

SERVICE = "notifications"
