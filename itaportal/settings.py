"""One settings module, driven by the environment (see .env.example).

With no variables set the portal runs on the embedded default: SQLite under var/,
Celery tasks in-process, files under var/media, DEBUG on. DATABASE_URL and REDIS_URL
switch to PostgreSQL and a real Celery worker; DJANGO_ENV=production hardens the rest.
"""

import os
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
import fontpkg_sarabun
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ITA_VAR_DIR", BASE_DIR / "var"))
# SQLite, uploads and collected static files live here; SQLite cannot create a missing folder.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production-use-0123456789")

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "axes",
    "itaportal",
    "itaportal.accounts",
    "itaportal.audit",
    "itaportal.notifications",
    "itaportal.onboarding",
    "assessments",
    "measures",
    "reports",
    # Above every app: the roll-up of an area across them, and the demo and scale data with their
    # commands (load_demo, generate_scale_data).
    "oversight",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified when the login passed a second factor (TOTP).
    "django_otp.middleware.OTPMiddleware",
    # Sends a person between the password and the code to the code step (or to enrolment).
    "itaportal.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itaportal.urls"
WSGI_APPLICATION = "itaportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itaportal.accounts.context_processors.membership",
                "itaportal.notifications.context_processors.unread_notifications",
                "reports.context_processors.memo_inbox",
            ],
            "builtins": ["itaportal.templatetags.thai"],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {}).update({
            # A server that hangs instead of refusing must not hold requests for the system's TCP timeout.
            "connect_timeout": 5,
            # The roll-up's many small correlated subqueries push the planner's cost past jit_above_cost
            # though they run in milliseconds; compiling them cost 1.25 s of a 1.30 s query (128
            # organisations, EXPLAIN ANALYZE) against 25 ms without. No query of the portal gains from JIT.
            "options": "-c jit=off",
        })
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "itaportal.sqlite3",
            # Celery runs in-process on the embedded default, so one writer at a time is enough;
            # the timeout lets a second request wait for the lock instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A test database on disk, not in memory: the browser tests' live server answers
            # requests in several threads, and only a file database makes them wait for the lock.
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: the fourth wrong password for one account from one address answers 429.
AXES_FAILURE_LIMIT = 4  # axes locks on the failure that reaches the limit
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or 0) or None

# Two-step login (itaportal/accounts/twofactor.py): the name authenticator apps show for the portal.
OTP_TOTP_ISSUER = "ITA Portal"
# After n wrong codes in a row a device refuses every code for 2^(n-1) seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
# A reset link works once, for a day: an office reads its mail the next morning.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# An invitation to join an office works once, for this many days; a re-send starts the period again.
ITA_INVITATION_DAYS = int(os.environ.get("ITA_INVITATION_DAYS") or 7)

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ita_language"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Fonts and Bootstrap come from pip packages, served from our own static: never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("fonts/sarabun", str(fontpkg_sarabun.ROOT / "files")),
    ("vendor/bootstrap", str(bootstrap_wrapper.get_bootstrap_dir())),
]
MEDIA_ROOT = Path(os.environ.get("ITA_MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL on purpose: uploaded files are private and only served through views that check membership.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Misses instead of errors while Redis is away (itaportal/cache.py); a hung Redis costs a
            # request half a second once, then the cache is bypassed for a few seconds.
            "BACKEND": "itaportal.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ita",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions stay in the database so that a Redis restart never logs anybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits for Redis as long as it takes: by default it would give up after 100 tries and exit.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Nothing reads a task's return value (a document's state lives in the database). A stored result
# would also make every publish subscribe to it on Redis, retrying for 20 s when Redis is down.
CELERY_TASK_IGNORE_RESULT = True
# Publishing happens inside a request: one immediate retry replaces a connection broken by a Redis
# restart; past that the caller hears at once that the broker is down (reports.services.documents).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    # A Redis that hangs without closing the connection would hold a publish (and its request) forever.
    # Longer than the one-second BRPOP of an idle worker.
    "socket_timeout": 2,
    # A job whose worker died without a word (SIGKILL, lost machine) goes back to the queue after this
    # many seconds; longer than the task time limit, so a slow render is never handed out twice.
    "visibility_timeout": int(os.environ.get("ITA_BROKER_VISIBILITY_TIMEOUT", "600")),
}
CELERY_TIMEZONE = TIME_ZONE
# A test run names its own queue so that no other worker on the machine takes its jobs.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ITA_CELERY_QUEUE", "celery")
# Run by `celery -A itaportal beat`; the hours are Bangkok's (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    "progress-reminders": {"task": "measures.tasks.send_progress_reminders", "schedule": crontab(hour=7, minute=0)},
    # Sends again the PDF jobs whose message never reached Redis or vanished with it (reports/tasks.py).
    # A tick that waited in a stalled queue is dropped: the next one does its work.
    "requeue-lost-documents": {"task": "reports.tasks.requeue_lost_documents", "schedule": 60.0,
                               "options": {"expires": 50}},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# The address people open the portal at: links in e-mails are built on it.
PORTAL_URL = os.environ.get("ITA_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# Processes a long document's sections render in, side by side (reports.rendering.sections_to_pdf).
ITA_PDF_PROCESSES = int(os.environ.get("ITA_PDF_PROCESSES", "2"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ita-portal@localhost")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline SVG charts carry their own <style>, allowed by the request's nonce only.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The proxy in front (nginx, a load balancer) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the orchestrator inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL") or "WARNING"},
}
