"""Shared fixtures: an organization tree and fixed personas (one user per role)."""

from __future__ import annotations

import os
import shutil

import pytest

from ridbook.accounts.roles import Role

# Playwright's sync API runs an event loop in the test thread; the ORM is still used synchronously there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def org_tree(db):
    """University (VGTU policy) → institute → department; and a separate holding (RZD policy)."""
    from ridbook.testing.factories import OrganizationFactory

    university = OrganizationFactory(short_name="ВУЗ", kind="university", policy_name="vgtu")
    institute = OrganizationFactory(short_name="Институт", kind="institute", parent=university)
    department = OrganizationFactory(short_name="Кафедра", kind="department", parent=institute)
    holding = OrganizationFactory(short_name="Холдинг", kind="holding", policy_name="rzd-2013")
    return {"university": university, "institute": institute, "department": department, "holding": holding}


@pytest.fixture
def personas(org_tree):
    """One user per role, each assigned at the university — but the head of the IP department (``ip_head``): he has
    the IP officer's rights, so he would be a second addressee of every letter to the IP department; the tests that
    need him make him (``ip_head``)."""
    from ridbook.testing.factories import persona

    return {role: persona(role, org_tree["university"]) for role in Role if role != Role.IP_HEAD}


@pytest.fixture
def ip_head(org_tree):
    from ridbook.testing.factories import persona

    return persona(Role.IP_HEAD, org_tree["university"])


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        if os.environ.get("RIDBOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} not found, and RIDBOOK_REQUIRE_BROWSER=1: install Debian's chromium")
        pytest.skip(f"browser tests skipped: {CHROMIUM} not found (apt-get install -y chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="ru-RU")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The sign-in rate limit counts in the Django cache: no test inherits another's attempts."""
    from django.core.cache import cache

    cache.clear()
