"""Settings for the NWWMH Portal: one module, configured by environment variables.

Production: DJANGO_DEBUG=0 with DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS set; every HTTPS-only
setting is on and `manage.py check --deploy` is clean. Local runs (`make run`, the tests) set
NWWMH_LOCAL=1, which generates a secret key into a git-ignored file and relaxes HTTPS-only settings
so the portal can be served on http://127.0.0.1.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nwwmh_portal.cache_settings import caches_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LOCAL = env_flag("NWWMH_LOCAL")
DEBUG = env_flag("DJANGO_DEBUG", default=False)


def _local_secret_key() -> str:
    key_file = BASE_DIR / ".local-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or LOCAL:
        SECRET_KEY = _local_secret_key()
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production set DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS); "
            "for a local run use `make run`, or set NWWMH_LOCAL=1 or DJANGO_DEBUG=1."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if (DEBUG or LOCAL) and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "csp",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django REST framework itself is not an installed app: the API renders JSON only, so the browsable API's
    # templates and static files (Bootstrap, with source map comments) are not wanted.
    "drf_spectacular",
    "corsheaders",
    "nwwmh_portal.apps.PortalConfig",
    "roles",
    "planning",
]

MIDDLEWARE = [
    "nwwmh_portal.middleware.RequestBodyLimitMiddleware",
    "nwwmh_portal.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nwwmh_portal.middleware.NulCharacterMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "nwwmh_portal.api.middleware.ApiMiddleware",
    "nwwmh_portal.page_cache.PageCacheMiddleware",  # before sessions: a stored public page skips the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nwwmh_portal.middleware.SessionRefreshMiddleware",  # saves an unchanged session at most once a minute
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nwwmh_portal.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nwwmh_portal.middleware.NoStoreMiddleware",
    "nwwmh_portal.security_log.RequestContextMiddleware",
    "nwwmh_portal.mfa.MFARequiredMiddleware",
    "nwwmh_portal.throttling.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nwwmh_portal.urls"
# History pages show old versions but offer no revert: case studies change status only through roles/publishing.py.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Where the accessibility statement tells people to ask for another format or report a problem.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("NWWMH_ACCESSIBILITY_EMAIL", "")
# What other apps add to a role profile (roles/profile_sections.py): the planning app's national figures.
ROLE_PROFILE_SECTIONS = ["planning.role_sections.national_figures"]
WSGI_APPLICATION = "nwwmh_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nwwmh_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Write-ahead log: readers never wait for a writer, and a commit (every logged-in request saves its session)
    # is not an fsync; IMMEDIATE transactions queue for the write lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # A database that accepts connections but never answers must not hang a worker: connecting gives up after
    # DATABASE_CONNECT_TIMEOUT seconds (libpq's connect_timeout, at least 2), a statement after
    # DATABASE_STATEMENT_TIMEOUT milliseconds, and unacknowledged data after DATABASE_TCP_USER_TIMEOUT milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
            "options": f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT', '15000'))}",
            "tcp_user_timeout": int(os.environ.get("DATABASE_TCP_USER_TIMEOUT", "10000")),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cached public pages and plan results: local memory, or Redis shared by every app server when CACHE_URL is set.
CACHES = caches_from_env(
    cache_url=os.environ.get("CACHE_URL", ""),
    cache_dir=Path(os.environ.get("NWWMH_CACHE_DIR", "") or BASE_DIR / ".cache"),
    key_prefix=os.environ.get("CACHE_KEY_PREFIX", "nwwmh"),
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The plan editor posts about nine fields a staffing line.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies: anything larger than NWWMH_MAX_REQUEST_BODY bytes is refused with 413 before it is read (set the
# proxy's limit, e.g. nginx `client_max_body_size`, to the same). Form fields (not files) may take
# DATA_UPLOAD_MAX_MEMORY_SIZE; uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
NWWMH_MAX_REQUEST_BODY = int(os.environ.get("NWWMH_MAX_REQUEST_BODY", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))

LOGIN_URL = "login"  # URL names, not paths: Django reverses them
LOGIN_REDIRECT_URL = "planning:home"
LOGOUT_REDIRECT_URL = "roles:home"

# Lock out repeated failures by username and IP address together, so that nobody can lock a lead
# out from somewhere else.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "nwwmh_portal.accounts.client_ip_address"
NWWMH_BEHIND_PROXY = env_flag("DJANGO_BEHIND_PROXY")
NWWMH_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))
AXES_RESET_ON_SUCCESS = True
# A page saying the username is locked on this device and when to try again (status 429).
AXES_LOCKOUT_CALLABLE = "nwwmh_portal.accounts.lockout_response"
# Limits on top of axes, counted in the security log (nwwmh_portal/throttling.py says what each counts).
NWWMH_LOGIN_THROTTLE_WINDOW = int(os.environ.get("NWWMH_LOGIN_THROTTLE_WINDOW", "900"))  # seconds
NWWMH_LOGIN_IP_LIMIT = int(os.environ.get("NWWMH_LOGIN_IP_LIMIT", "20"))
NWWMH_LOGIN_USERNAME_LIMIT = int(os.environ.get("NWWMH_LOGIN_USERNAME_LIMIT", "20"))
NWWMH_PASSWORD_CHANGE_LIMIT = int(os.environ.get("NWWMH_PASSWORD_CHANGE_LIMIT", "5"))
NWWMH_PASSWORD_RESET_LIMIT = int(os.environ.get("NWWMH_PASSWORD_RESET_LIMIT", "3"))  # an hour, per email address
NWWMH_PASSWORD_RESET_IP_LIMIT = int(os.environ.get("NWWMH_PASSWORD_RESET_IP_LIMIT", "10"))  # an hour, per address

# How long `manage.py prune_security_log` keeps security log events, in days.
NWWMH_SECURITY_LOG_DAYS = int(os.environ.get("NWWMH_SECURITY_LOG_DAYS", "365"))

# Two-step verification (django-otp, TOTP with recovery codes) is required of staff and workforce leads.
OTP_TOTP_ISSUER = "NWWMH Portal"
NWWMH_RECOVERY_CODES = 10

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "nwwmh_portal.storage.PortalStaticStorage"},
}
NHSUK_FRONTEND_VERSION = "10.6.1"

# Sessions end after an hour without activity, when the browser closes, and NWWMH_SESSION_ABSOLUTE_AGE seconds
# (12 hours) after logging in, however active.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", "3600"))
NWWMH_SESSION_ABSOLUTE_AGE = int(os.environ.get("NWWMH_SESSION_ABSOLUTE_AGE", str(12 * 3600)))
# The session's end is moved on at most once a minute rather than saved on every request
# (nwwmh_portal.middleware.SessionRefreshMiddleware), so it ends within a minute before SESSION_COOKIE_AGE of
# inactivity, never after.
SESSION_ENGINE = "nwwmh_portal.sessions"
NWWMH_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

HTTPS_ONLY = not (DEBUG or LOCAL)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
if HTTPS_ONLY:
    # __Host- cookies are sent only over HTTPS, for this host and path "/": no subdomain can set or read them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = HTTPS_ONLY and env_flag("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
if NWWMH_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Browser features no page of the portal uses are switched off.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Content Security Policy: no inline script or style anywhere. NHS.UK fonts come from assets.nhs.uk.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The open data API under /api/v1/ (README "Open data API"): read only, JSON, public catalogue and token-scoped plans.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["nwwmh_portal.api.authentication.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "nwwmh_portal.api.pagination.LinkedPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "nwwmh_portal.api.throttling.AnonymousClientThrottle",
        "nwwmh_portal.api.throttling.TokenClientThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nwwmh_portal.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per client: by address without a token, by token owner with one. Counted in the Django cache.
NWWMH_API_RATES = {
    "anonymous": os.environ.get("NWWMH_API_RATE_ANONYMOUS", "120/minute"),
    "token": os.environ.get("NWWMH_API_RATE_TOKEN", "600/minute"),
}
OPEN_GOVERNMENT_LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SPECTACULAR_SETTINGS = {
    "TITLE": "NWWMH Portal API",
    "DESCRIPTION": (
        "The catalogue of mental health workforce roles (public, Open Government Licence v3.0) and, with a "
        "personal access token, your organisations' workforce plans and their results. Read only."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "Open Government Licence v3.0", "url": OPEN_GOVERNMENT_LICENCE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Responses only (the API reads): every field is always present, so each is "required" in the description.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "BandCodeEnum": "roles.api.serializers.BAND_CODES",
        "ComplexityEnum": "roles.api.serializers.COMPLEXITY_CODES",
    },
}
# Cross-origin reads of the API from any site; no cookies are sent or honoured (tokens go in a header).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "authorization", "if-modified-since", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Link", "Retry-After")

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "no-reply@nwwmh.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
