"""The operator-defined additional fields of the customer record (Config → Additional fields).

A definition's name and type are fixed once made (values already stored depend on them);
its label, choices, whether it is required and its position may change. Removing a field
removes its value from every customer, each as a change of that customer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing import customers
from billing.errors import AdditionalFieldExists, AdditionalFieldNotFound, ChoiceInUse, InvalidFields
from billing.models import AdditionalField, AdditionalFieldType, Customer


def list_fields(session: Session) -> list[AdditionalField]:
    return list(session.scalars(select(AdditionalField).order_by(AdditionalField.position, AdditionalField.name)))


def get_field(session: Session, name: str, *, for_update: bool = False) -> AdditionalField:
    query = select(AdditionalField).where(AdditionalField.name == name)
    definition = session.scalar(query.with_for_update() if for_update else query)
    if definition is None:
        raise AdditionalFieldNotFound(f"No additional field {name!r}.")
    return definition


def define_field(session: Session, values: dict[str, Any], *, now: datetime) -> AdditionalField:
    choices = values.get("choices", [])
    _check_choices(values["type"], choices)
    if session.scalar(select(AdditionalField.id).where(AdditionalField.name == values["name"])) is not None:
        raise AdditionalFieldExists(f"An additional field named {values['name']!r} exists.")
    position = values.get("position")
    if position is None:
        position = (session.scalar(select(func.max(AdditionalField.position))) or 0) + 1
    definition = AdditionalField(
        name=values["name"],
        label=values["label"],
        type=values["type"],
        choices=list(choices),
        required=values.get("required", False),
        position=position,
        created_at=now,
    )
    session.add(definition)
    try:
        session.flush()
    except IntegrityError:  # defined concurrently between the check and the insert
        raise AdditionalFieldExists(f"An additional field named {values['name']!r} exists.") from None
    return definition


def change_field(session: Session, name: str, changes: dict[str, Any]) -> AdditionalField:
    definition = get_field(session, name, for_update=True)
    if "choices" in changes:
        _check_choices(definition.type, changes["choices"])
        _check_choices_unused(session, definition, set(definition.choices) - set(changes["choices"]))
        definition.choices = list(changes["choices"])
    for attribute in ("label", "required", "position"):
        if attribute in changes:
            setattr(definition, attribute, changes[attribute])
    session.flush()
    return definition


def remove_field(session: Session, name: str, *, now: datetime, actor: str) -> None:
    definition = get_field(session, name, for_update=True)
    holding = (
        select(Customer)
        .where(Customer.additional[name].as_string().is_not(None))
        .order_by(Customer.id)
        .with_for_update()
    )
    for customer in session.scalars(holding).all():
        customers.drop_additional_value(session, customer, name, now=now, actor=actor)
    session.delete(definition)
    session.flush()


def _check_choices(kind: str, choices: list[str]) -> None:
    if kind == AdditionalFieldType.CHOICE and not choices:
        raise InvalidFields({"choices": ["A choice field needs at least one choice."]})
    if kind != AdditionalFieldType.CHOICE and choices:
        raise InvalidFields({"choices": ["Only choice fields have choices."]})


def _check_choices_unused(session: Session, definition: AdditionalField, removed: set[str]) -> None:
    if not removed:
        return
    value = Customer.additional[definition.name].as_string()
    used = sorted(set(session.scalars(select(value).where(value.in_(sorted(removed))).distinct())))
    if used:
        raise ChoiceInUse(
            f"Customers hold {', '.join(map(repr, used))} in {definition.name!r}; change them first.", choices=used
        )
