"""The news a customer sees (the portal's News page, and the latest on the dashboard)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import customers, news
from notifications.api.request_context import now
from notifications.schemas import CustomerNewsArgsSchema, CustomerNewsPageSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("news", __name__, url_prefix="/v1/customers", description="News (customers)")


@blp.route("/<int:customer_id>/news")
class CustomerNews(MethodView):
    @customer_scope
    @blp.arguments(CustomerNewsArgsSchema, location="query")
    @blp.response(200, CustomerNewsPageSchema)
    @blp.doc(security=[{"bearer": []}])
    def get(self, args, customer_id):
        """Current news for the customer, latest first: published, not expired, for their partner or everyone."""
        with database().reading() as session:
            customer = customers.get_customer(session, customer_id)
            page = news.current_news(
                session, customer.partner_id, now=now(), limit=args["limit"], cursor=args.get("cursor")
            )
        return {"items": page.items, "next_cursor": page.next_cursor}
