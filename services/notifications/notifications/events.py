"""The event types notifications handles (it publishes none yet)."""

CUSTOMER_CREATED = "billing.customer.created"
CUSTOMER_UPDATED = "billing.customer.updated"
ACCOUNT_PROVISIONED = "portal.account.provisioned"
