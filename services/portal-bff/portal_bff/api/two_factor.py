"""Two-factor sign-in: enrol with the QR code, confirm with a first code, turn off (/api/v1/two-factor)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import restrictions, two_factor
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.api.context import now
from portal_bff.models import PortalAccount
from portal_bff.schemas import (
    RecoveryCodesSchema,
    TwoFactorCodeSchema,
    TwoFactorDisableSchema,
    TwoFactorEnrolmentSchema,
    TwoFactorStatusSchema,
)
from portico.web import database

blp = Blueprint("two_factor", __name__, url_prefix="/api/v1", description="Two-factor sign-in")

ENROLMENT = (restrictions.ENROL_TWO_FACTOR,)


def _required() -> bool:
    return visitor().config["security"]["require_two_factor"]


@blp.route("/two-factor")
class TwoFactor(MethodView):
    @signed_in(during=ENROLMENT)
    @blp.response(200, TwoFactorStatusSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """Whether two-factor sign-in is on (or pending), required by the provider, and recovery codes left."""
        with database().reading() as session:
            found = two_factor.status(session, visitor().customer_id)
        return {
            "enabled": found.enabled,
            "pending": found.pending,
            "required": _required(),
            "confirmed_at": found.confirmed_at,
            "recovery_codes_left": found.recovery_codes_left,
        }

    @signed_in(during=ENROLMENT, customer_only=True)
    @blp.response(201, TwoFactorEnrolmentSchema)
    @blp.alt_response(409, description="Two-factor sign-in is already on.")
    @blp.doc(security=SESSION_SECURITY)
    def post(self):
        """Start enrolling: a new secret, its otpauth URI and QR code (SVG) for the authenticator app.

        Nothing is required at sign-in until a first code confirms it (POST /two-factor/confirm).
        """
        me = visitor()
        with database().transaction() as session:
            account = session.get(PortalAccount, me.customer_id)
            enrolment = two_factor.start_enrolment(session, account, issuer=me.config["main"]["title"], now=now())
        return {"secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri, "qr_svg": enrolment.qr_svg}


@blp.route("/two-factor/confirm")
class TwoFactorConfirm(MethodView):
    @signed_in(during=ENROLMENT, customer_only=True)
    @blp.arguments(TwoFactorCodeSchema)
    @blp.response(200, RecoveryCodesSchema)
    @blp.alt_response(409, description="No enrolment is pending.")
    @blp.alt_response(422, description="The code is wrong (`errors.code`).")
    @blp.doc(security=SESSION_SECURITY)
    def post(self, values):
        """Turn two-factor sign-in on with a first code from the app; answers the 10 recovery codes, once."""
        with database().transaction() as session:
            codes = two_factor.confirm_enrolment(session, visitor().customer_id, values["code"], now=now())
        return {"recovery_codes": codes}


@blp.route("/two-factor/disable")
class TwoFactorDisable(MethodView):
    @signed_in(customer_only=True)
    @blp.arguments(TwoFactorDisableSchema)
    @blp.response(204)
    @blp.alt_response(409, description="It is not on, or the provider requires it.")
    @blp.alt_response(422, description="Wrong password (`errors.password`) or code (`errors.code`).")
    @blp.doc(security=SESSION_SECURITY)
    def post(self, values):
        """Turn two-factor sign-in off, with the password and a current code (or a recovery code)."""
        with database().transaction() as session:
            account = session.get(PortalAccount, visitor().customer_id)
            two_factor.disable(
                session, account, password=values["password"], code=values["code"], required=_required(), now=now()
            )
