from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def holding_admin(org_tree):
    from ridbook.testing.factories import persona

    return persona(Role.ADMINISTRATOR, org_tree["holding"], username="holding-admin")
