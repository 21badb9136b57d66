"""The News page."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.page_arguments import PageArgsSchema
from portal_bff.page_schemas import NewsPageSchema
from portal_bff.pages.messages import news_page

blp = Blueprint("news", __name__, url_prefix="/api/v1", description="News")


@blp.route("/news")
class News(MethodView):
    @signed_in(module="news")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, NewsPageSchema)
    @blp.alt_response(404, description="The News module is hidden for this customer.")
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The provider's latest news for the customer, newest first."""
        return news_page(reader(), query)
