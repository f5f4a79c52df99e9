"""Персональные данные по необходимости (152-ФЗ): who sees which personal fields of a person record.

This is data beside the permission matrix (:data:`ridbook.accounts.permissions.GRANTS`), pinned role × field by
``tests/test_personal_data_matrix.py``. A role counts where it acts: its organization and below, as every grant
(a person record belongs to the organization that keeps it). A person always sees his own record whole. Everyone
else who may see a person at all (co-authors, commission members, experts, division heads, auditors) sees only
the name, the workplace and the position. Generated documents follow the same rule (``registry.documents``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ridbook.accounts.roles import Role


class PersonalField(StrEnum):
    INN = "inn"
    SNILS = "snils"
    BIRTH_DATE = "birth_date"
    DEATH_DATE = "death_date"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    CITIZENSHIP = "citizenship"


FIELD_LABELS: dict[PersonalField, StrOrPromise] = {
    PersonalField.INN: _("ИНН"),
    PersonalField.SNILS: _("СНИЛС"),
    PersonalField.BIRTH_DATE: _("дата рождения"),
    PersonalField.DEATH_DATE: _("дата смерти"),
    PersonalField.ADDRESS: _("адрес"),
    PersonalField.PHONE: _("телефон"),
    PersonalField.EMAIL: "e-mail",
    PersonalField.CITIZENSHIP: _("гражданство"),
}

ALL_FIELDS = frozenset(PersonalField)
NONE: frozenset[PersonalField] = frozenset()
F = PersonalField

# Why each role sees what it sees:
# - the IP department files applications: the notice and the application name every author with his ИНН, СНИЛС,
#   birth date, citizenship, address and contacts (TPU appendix 2; the patent office's forms);
# - the accountant pays author remuneration: ИНН and СНИЛС for tax and pension reporting, citizenship for the tax
#   rate, birth date to tell namesakes apart, death date (remuneration then goes to the heirs); not the address or
#   the phone;
# - the death date also sets the term of a program or database (Civil Code art. 1281): the IP department sees it;
# - the administrator invites users and sends them mail: the e-mail only;
# - everyone else works with names, workplaces and positions.
PERSONAL_DATA: dict[Role, frozenset[PersonalField]] = {
    Role.IP_OFFICER: ALL_FIELDS,
    Role.IP_HEAD: ALL_FIELDS,  # the head of the IP department: as his officers
    Role.ACCOUNTANT: frozenset({F.INN, F.SNILS, F.BIRTH_DATE, F.DEATH_DATE, F.CITIZENSHIP}),
    Role.ADMINISTRATOR: frozenset({F.EMAIL}),
    Role.AUTHOR: NONE,
    Role.COMMISSION_SECRETARY: NONE,
    Role.COMMISSION_CHAIR: NONE,
    Role.COMMISSION_MEMBER: NONE,
    Role.EXPERT: NONE,
    Role.APPROVER: NONE,
    Role.DIVISION_HEAD: NONE,
    Role.AUDITOR: NONE,
}

PUBLIC_PERSON_FIELDS = ("last_name", "first_name", "middle_name", "organization", "workplace", "position")


class PersonalDataAccess:
    """What one user may see of people's personal data: built once per request, asked per person (no queries)."""

    def __init__(self, user: Any) -> None:
        from ridbook.accounts.permissions import _assignments
        from ridbook.organizations.selectors import descendant_ids

        self.user_id = getattr(user, "pk", None)
        self.everything = bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)
        self.by_field: dict[PersonalField, frozenset[int]] = {}
        if user is None or not user.is_authenticated or not user.is_active or self.everything:
            return
        roots: dict[PersonalField, set[int]] = {f: set() for f in PersonalField}
        for org_id, role in _assignments(user):
            for f in PERSONAL_DATA.get(Role(role), NONE):
                roots[f].add(org_id)
        below: dict[frozenset[int], frozenset[int]] = {}
        for f, ids in roots.items():
            key = frozenset(ids)
            if key not in below:
                below[key] = frozenset(descendant_ids(set(ids))) if ids else frozenset()
            self.by_field[f] = below[key]

    def fields(self, person: Any) -> frozenset[PersonalField]:
        """The personal fields of ``person`` this user may see."""
        if self.everything or (self.user_id is not None and person.user_id == self.user_id):
            return ALL_FIELDS
        org_id = person.organization_id
        return frozenset(f for f, ids in self.by_field.items() if org_id in ids)

    def may_see(self, person: Any, field: str) -> bool:
        return field in self.fields(person)


def personal_data_access(user: Any) -> PersonalDataAccess:
    """The user's access, cached on the user object for the request."""
    cached = getattr(user, "_ridbook_personal_data", None) if user is not None else None
    if cached is None:
        cached = PersonalDataAccess(user)
        if user is not None:
            user.__dict__["_ridbook_personal_data"] = cached
    return cached
