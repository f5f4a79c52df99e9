"""Django settings: every value that differs between machines comes from the environment (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from celery.schedules import crontab

from ridbook.env import env_bool, env_database, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RIDBOOK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_secret_key("SECRET_KEY", VAR_DIR / "secret_key", debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",  # before ridbook.security: its receiver of failed sign-ins counts them before ours records them
    "ridbook.core",
    "ridbook.audit",
    "ridbook.organizations",
    "ridbook.accounts",
    "ridbook.security",
    "ridbook.policies",
    "ridbook.workdays",
    "ridbook.deadlines",
    "ridbook.notifications",
    "ridbook.registry",
    "ridbook.commission",
    "ridbook.prosecution",
    "ridbook.protection",
    "ridbook.tradesecret",
    "ridbook.web",
    "ridbook.api",
    "ridbook.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ridbook.core.middleware.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ridbook.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ridbook.audit.middleware.ActorMiddleware",
    "ridbook.security.middleware.SecurityEventsMiddleware",
    "ridbook.core.middleware.DatabaseUnavailableMiddleware",
    "ridbook.tradesecret.middleware.NoStoreAfterContent",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked-out sign-in into its answer
]

ROOT_URLCONF = "ridbook.urls"
WSGI_APPLICATION = "ridbook.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ridbook.web.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ridbook.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["TEST"] = (
        {"NAME": str(VAR_DIR / "test.sqlite3")} if env_bool("RIDBOOK_TEST_DB_FILE", default=False) else {}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # short OLTP queries: JIT compilation cost 10–15 ms on a 3 ms count of the registry (bench/registry.py)
    _pg_options = cast(dict[str, Any], DATABASES["default"].get("OPTIONS") or {})
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off", **_pg_options}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in: django-axes locks a user name from one address out after LOGIN_FAILURE_LIMIT failures in a row, for
# LOGIN_COOLOFF_MINUTES (attempts during the lockout do not prolong it; a success resets the count); besides, an
# address may try SIGN_IN_RATE_PER_MINUTE times a minute (the login page and the token endpoint; the Django cache).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "ridbook.accounts.directory.DirectoryBackend",  # only when LDAP_SERVER_URI is set
]
# the organization's directory (LDAP / Active Directory) checks the passwords of the users ridbook knows
LDAP_SERVER_URI = env_str("LDAP_SERVER_URI")  # e.g. ldaps://dc.example.org; empty: no directory
LDAP_USER_DN_TEMPLATE = env_str(
    "LDAP_USER_DN_TEMPLATE"
)  # uid={username},ou=people,dc=example,dc=org; AD: {username}@example.org
LDAP_START_TLS = env_bool("LDAP_START_TLS", default=False)
LDAP_TIMEOUT_SECONDS = env_int("LDAP_TIMEOUT_SECONDS", 5, minimum=1)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # by name alone anyone could lock anyone out
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ridbook.security.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept; failures are in the security log
AXES_CLIENT_IP_CALLABLE = "ridbook.security.signin.client_address"  # behind TRUSTED_PROXY_COUNT proxies
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SIGN_IN_RATE_PER_MINUTE = env_int("SIGN_IN_RATE_PER_MINUTE", 30, minimum=0)
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 30 * 24, minimum=0)
INVITATION_TTL_HOURS = env_int("INVITATION_TTL_HOURS", 72, minimum=1)  # a one-time link to set one's password

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]  # i18n: ru-only (each language is named in itself)
# no project-wide catalog: every app keeps its own in <app>/locale/en/LC_MESSAGES (`make messages`).
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# The key of trade-secret RIDs' content at rest (ridbook.tradesecret.crypto): never in the database. Either the
# Fernet keys themselves (newest first, comma-separated) or a file holding them one a line (newest first). Without
# either, the first sealing or reading stops with a clear error; nothing is ever stored in plaintext. In DEBUG (the
# demo) the file defaults to var/tradesecret.keys, created by ``manage.py create_tradesecret_key`` (``make demo``).
RIDBOOK_TRADESECRET_KEYS = env_list("RIDBOOK_TRADESECRET_KEYS", [])
RIDBOOK_TRADESECRET_KEY_FILE = env_str(
    "RIDBOOK_TRADESECRET_KEY_FILE", str(VAR_DIR / "tradesecret.keys") if DEBUG else ""
)

# Hostile files and reports (ridbook.core.uploads, the registry's import): limits checked before anything parses a file.
_MB = 1024 * 1024
RIDBOOK_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 50) * _MB  # a document (packet, expert's opinion)
RIDBOOK_IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 600) * _MB  # a registry spreadsheet (1M RIDs: ~480 MB of CSV)
RIDBOOK_IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)
RIDBOOK_IMPORT_ERRORS_KEPT = 1000  # the report lists these errors and counts the rest
RIDBOOK_ZIP_PART_MAX_BYTES = 2048 * _MB  # one part of an .xlsx/.docx, uncompressed (1M RIDs: a 1.3 GB sheet)
RIDBOOK_ZIP_TOTAL_MAX_BYTES = 3072 * _MB
RIDBOOK_ZIP_WHOLE_PART_MAX_BYTES = 64 * _MB  # a part read whole into memory (an .xlsx's shared strings, styles…)
RIDBOOK_ZIP_RATIO_MAX = 100  # uncompressed / compressed (our export: 7; the «zip-бомба» of the issue: 1000)
RIDBOOK_ZIP_RATIO_FROM_BYTES = 4 * _MB  # parts smaller than this may be compressed any amount
RIDBOOK_ZIP_PARTS_MAX = 10_000

# E-mail: console in development, SMTP in production (EMAIL_URL-like variables kept flat and explicit).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ridbook@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")  # links in letters

# Background jobs: Celery. Without BROKER_URL tasks run in-process (eager), so one machine needs nothing else.
CELERY_BROKER_URL = env_str("BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "deadline-refresh": {  # just after midnight: the stored deadlines of the new day before anyone reads them
        "task": "ridbook.deadlines.tasks.refresh_deadlines",
        "schedule": crontab(hour=0, minute=5),
    },
    "deadline-reminders": {
        "task": "ridbook.deadlines.tasks.send_deadline_reminders",
        "schedule": 24 * 60 * 60,
    },
    "prosecution-dockets": {
        "task": "ridbook.prosecution.tasks.resync_dockets",
        "schedule": 24 * 60 * 60,
    },
    "protection-lapses": {
        "task": "ridbook.protection.tasks.lapse_unpaid_documents",
        "schedule": 24 * 60 * 60,
    },
    "queued-letters": {
        "task": "ridbook.notifications.tasks.send_queued_letters",
        "schedule": 5 * 60,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ridbook.security.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ridbook.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ridbook.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ridbook API",
    # the description is translated per request: ridbook.api.schema.describe
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the schema and the docs are for signed-in users (401 JSON; the docs page sends to the login page)
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # several models have a field «kind»: each its own enum, named for the model
    "ENUM_NAME_OVERRIDES": {
        "RidKindEnum": "ridbook.registry.choices.RidKind",
        "OrganizationKindEnum": "ridbook.organizations.models.OrganizationKind",
        "NoticeEventKindEnum": "ridbook.registry.choices.NoticeEventKind",
        "SecurityEventKindEnum": "ridbook.security.models.EventKind",
        "UserRoleEnum": "ridbook.accounts.roles.Role",
        "ApplicationStageEnum": "ridbook.prosecution.choices.Stage",
        "ApplicationKindEnum": "ridbook.prosecution.choices.ApplicationKind",
        "PriorityKindEnum": "ridbook.prosecution.choices.PriorityKind",
        "OfficeLetterKindEnum": "ridbook.prosecution.choices.LetterKind",
        "ProtectionDocumentStatusEnum": "ridbook.protection.choices.DocumentStatus",
        "ProtectionEventKindEnum": "ridbook.protection.choices.EventKind",
        "FeeStateEnum": "ridbook.protection.choices.FeeState",
        "StorageMediumEnum": "ridbook.tradesecret.choices.StorageMedium",
        "TradeSecretStateEnum": "ridbook.tradesecret.choices.RegimeState",
        "CopyStateEnum": "ridbook.tradesecret.choices.CopyState",
        "InventoryResultEnum": "ridbook.tradesecret.choices.InventoryResult",
        "DocumentKindEnum": "ridbook.protection.choices.DocumentKind",
        "FeeBasisEnum": "ridbook.protection.choices.FeeBasis",
        "RidStatusEnum": "ridbook.registry.choices.RidStatus",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "ridbook.api.schema.describe"],
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Behind a proxy that ends TLS: the header it sets, e.g. X-Forwarded-Proto (value «https»). Only when configured:
# without a proxy that overwrites it, any client could send the header and pass for HTTPS.
if _proxy_ssl_header := env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.strip().upper().replace("-", "_"), "https")
# HSTS only when configured: browsers then refuse plain HTTP to the host for that long (see the README).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "ridbook": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        # Django's own default sends request errors (tracebacks of 500s) only to the console in DEBUG and to
        # ADMINS by e-mail otherwise; here they go to the console (the process's log) in every mode, with 4xx
        # warnings and django.security's suspicious requests
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": True},
        # a failed sign-in and a lockout, one line each (who, from where), besides the security log
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": True},
    },
}

# Reminders before a deadline, in days (ridbook.deadlines.tasks). One setting for the installation: no organization's
# rules set other thresholds yet; when one does, this becomes a ``reminder_days`` of the policy's ``[deadlines]``.
DEADLINE_REMINDER_DAYS = (30, 7, 1)
