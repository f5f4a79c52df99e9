"""Test settings: the normal settings plus a test-only app with sample models (no migrations, no real table)."""

from ridbook.settings import *  # noqa: F403
from ridbook.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "ridbook.testing"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ridbook-test-media-"))

# a fixed test key of the trade-secret content (never a production key); the key file is not used in tests
RIDBOOK_TRADESECRET_KEYS = ["q2hZ4Tc8xv9m7bQ0pH1sJwTn3kYfL6eR5uV8aD2gN0E="]
RIDBOOK_TRADESECRET_KEY_FILE = ""
