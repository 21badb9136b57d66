"""The demo gateway's hosted checkout page (what a real gateway serves on its own site).

GET shows the amount and a test card with Pay and Fail; POST completes the checkout at the
demo gateway and sends its signed webhook to billing in-process, through the same
verification as POST /v1/gateways/demo/webhook, then sends the customer back to the return
address (or shows the outcome). Delivering in-process needs no second worker to answer the
call, so it works under a single gunicorn worker and in tests alike.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, redirect, render_template_string, request
from flask.views import MethodView
from flask_smorest import Blueprint

from billing import checkouts
from billing.api.clock import now
from billing.api.gateway_lookup import gateway
from billing.errors import GatewayNotFound, InvalidFields
from billing.gateways.base import CardDetails
from billing.gateways.demo import TEST_CARD, DemoGateway, card_expiry_default
from billing.money import amount_text
from portico.web import database

blp = Blueprint("demo_gateway", __name__, url_prefix="/gateway/demo", description="The demo gateway's hosted page")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo payment: {{ amount }} {{ checkout.currency }}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2433; }
  main { max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: .75rem;
         box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0 1.5rem; }
  .note { color: #5b6475; font-size: .9rem; }
  label { display: block; margin: .75rem 0 .25rem; }
  input[type=text] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
  .expiry { display: flex; gap: .5rem; }
  button { padding: .6rem 1.4rem; font-size: 1rem; margin: 1.25rem .5rem 0 0; border-radius: .4rem; border: 0; }
  .pay { background: #1f6feb; color: #fff; } .fail { background: #e5e7eb; }
  [role=alert] { color: #b42318; } [role=status] { color: #067647; font-weight: 600; }
  @media (prefers-color-scheme: dark) {
    body { background: #0d1117; color: #e6edf3; } main { background: #161b22; } .note { color: #9aa4b2; }
    .fail { background: #30363d; color: #e6edf3; }
  }
</style>
</head>
<body>
<main>
  <h1>Demo payment gateway</h1>
  <p class="note">Test mode: no money moves.</p>
  <p>{{ checkout.description }}</p>
  <p class="amount">{{ amount }} {{ checkout.currency }}</p>
  {% if checkout.status == "paid" %}
  <p role="status">Paid. Thank you.</p>
  {% else %}
  {% if checkout.status == "failed" %}<p role="alert">The payment did not go through. You may try again.</p>{% endif %}
  {% if error %}<p role="alert">{{ error }}</p>{% endif %}
  <form method="post">
    <label for="card_number">Card number</label>
    <input type="text" id="card_number" name="card_number" value="{{ card_number }}"
           autocomplete="cc-number" inputmode="numeric">
    <div class="expiry">
      <div><label for="exp_month">Month</label>
        <input type="text" id="exp_month" name="exp_month" value="{{ exp_month }}" inputmode="numeric"></div>
      <div><label for="exp_year">Year</label>
        <input type="text" id="exp_year" name="exp_year" value="{{ exp_year }}" inputmode="numeric"></div>
    </div>
    {% if checkout.offer_to_save %}
    <label><input type="checkbox" name="save_method" value="yes"> Save this card for later payments</label>
    {% endif %}
    <button class="pay" name="action" value="pay">Pay</button>
    <button class="fail" name="action" value="fail">Fail</button>
  </form>
  <p class="note">4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined.</p>
  {% endif %}
</main>
</body>
</html>
"""


def _demo() -> DemoGateway:
    found = gateway("demo")
    if not isinstance(found, DemoGateway):
        raise GatewayNotFound("The demo gateway is not in use.")
    return found


def _page(checkout, *, status: int = 200, error: str | None = None, form=None) -> Response:
    month, year = card_expiry_default(now().date())
    form = form or {}
    html = render_template_string(
        PAGE,
        checkout=checkout,
        amount=amount_text(checkout.amount),
        error=error,
        card_number=form.get("card_number", TEST_CARD),
        exp_month=form.get("exp_month", month),
        exp_year=form.get("exp_year", year),
    )
    return Response(html, status, mimetype="text/html", headers=SECURITY_HEADERS)


@blp.route("/checkout/<checkout_id>")
class HostedCheckout(MethodView):
    @blp.response(200, description="The hosted checkout page (HTML).", content_type="text/html")
    def get(self, checkout_id):
        """The page a customer pays on."""
        return _page(_demo().hosted_checkout(checkout_id))

    @blp.response(303, description="Back to the return address, the outcome in the query.")
    def post(self, checkout_id):
        """Pay (with the card in the form) or Fail; billing receives the signed webhook at once."""
        demo = _demo()
        checkout = demo.hosted_checkout(checkout_id)
        action = request.form.get("action")
        if action not in ("pay", "fail"):
            return _page(checkout, status=400, error="Choose Pay or Fail.", form=request.form)
        card = None
        if action == "pay":
            try:
                month, year = int(request.form.get("exp_month", "")), int(request.form.get("exp_year", ""))
            except ValueError:
                return _page(checkout, status=422, error="Give the card's expiry as numbers.", form=request.form)
            card = CardDetails(number=request.form.get("card_number", ""), exp_month=month, exp_year=year)
        save = request.form.get("save_method") == "yes" and checkout.offer_to_save
        try:
            webhook = demo.complete(checkout_id, pay=action == "pay", card=card, save=save)
        except InvalidFields as error:
            [messages] = error.extensions["errors"]["card"].values()
            return _page(checkout, status=422, error=messages[0], form=request.form)
        checkouts.receive_webhook(database(), demo, webhook.headers, webhook.body, now=now())
        checkout = demo.hosted_checkout(checkout_id)
        if checkout.return_url:
            outcome = urlencode({"checkout": checkout.reference, "status": checkout.status})
            separator = "&" if "?" in checkout.return_url else "?"
            return redirect(f"{checkout.return_url}{separator}{outcome}", code=303)
        return _page(checkout)
