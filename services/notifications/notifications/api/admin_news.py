"""Operators write news: create, edit, schedule, expire, and target partners."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import news
from notifications.api.request_context import actor, now
from notifications.schemas import NewsListArgsSchema, NewsPageSchema, NewsSchema, NewsUpdateSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("admin_news", __name__, url_prefix="/admin/v1/news", description="News (operators)")
BEARER = [{"bearer": []}]


def shown(session, item) -> dict:
    """The item as operators see it: with its partners and its state now."""
    values = {column.name: getattr(item, column.name) for column in item.__table__.columns}
    return values | {"partner_ids": news.partner_ids(session, item.id), "state": news.state_of(item, now())}


@blp.route("")
class NewsItems(MethodView):
    @operator_scope("messages:read")
    @blp.arguments(NewsListArgsSchema, location="query")
    @blp.response(200, NewsPageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """News, latest publication first; `state` scheduled, published or expired; `partner_id` as its customers see."""
        with database().reading() as session:
            page = news.list_news(
                session,
                now=now(),
                limit=args["limit"],
                cursor=args.get("cursor"),
                state=args.get("state"),
                partner_id=args.get("partner_id"),
            )
            return {"items": [shown(session, item) for item in page.items], "next_cursor": page.next_cursor}

    @operator_scope("messages:write")
    @blp.arguments(NewsSchema)
    @blp.response(201, NewsSchema)
    @blp.doc(security=BEARER)
    def post(self, values):
        """Write a news item: shown from `publish_at` (now if absent) until `expires_at`, to `partner_ids` (empty: all)."""
        with database().transaction() as session:
            return shown(session, news.create_news(session, values, actor=actor(), now=now()))


@blp.route("/<int:news_id>")
class NewsItem(MethodView):
    @operator_scope("messages:read")
    @blp.response(200, NewsSchema)
    @blp.doc(security=BEARER)
    def get(self, news_id):
        with database().reading() as session:
            return shown(session, news.get_news(session, news_id))

    @operator_scope("messages:write")
    @blp.arguments(NewsUpdateSchema)
    @blp.response(200, NewsSchema)
    @blp.doc(security=BEARER)
    def patch(self, changes, news_id):
        """Edit it: text, schedule, expiry, partners (the fields sent change)."""
        with database().transaction() as session:
            return shown(session, news.update_news(session, news_id, changes, now=now()))


@blp.route("/<int:news_id>/expire")
class NewsExpiry(MethodView):
    @operator_scope("messages:write")
    @blp.response(200, NewsSchema)
    @blp.doc(security=BEARER)
    def post(self, news_id):
        """Take it off the portal now."""
        with database().transaction() as session:
            return shown(session, news.expire_news(session, news_id, now=now()))
