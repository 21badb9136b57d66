"""The Messages pages (the inbox and one message, which reading marks read) and the News page."""

from __future__ import annotations

from portal_bff.api.readers import reader
from portal_bff.page_arguments import MessageListArgsSchema, PageArgsSchema
from portal_bff.page_schemas import MessagePageSchema, MessagesPageSchema, NewsPageSchema
from portal_bff.pages import messages as models
from portal_bff.web.guard import page
from portal_bff.web.pages import blueprint, query_args, render

blp = blueprint("web_messages", __name__)


@blp.get("/messages")
@page(module="messages")
def messages():
    model = MessagesPageSchema().dump(models.messages_page(reader(), query_args(MessageListArgsSchema())))
    return render("messages/messages.html", page=model)


@blp.get("/messages/<int:message_id>")
@page(module="messages")
def message(message_id: int):
    model = MessagePageSchema().dump(models.message_page(reader(), message_id))
    return render("messages/message.html", page=model)


@blp.get("/news")
@page(module="news")
def news():
    model = NewsPageSchema().dump(models.news_page(reader(), query_args(PageArgsSchema())))
    return render("messages/news.html", page=model)
