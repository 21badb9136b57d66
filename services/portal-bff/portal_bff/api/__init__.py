"""The portal-bff's JSON API under /api/v1/, one blueprint per resource."""
