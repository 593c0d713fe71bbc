"""TeleCampus settings: one module, driven by environment variables.

Defaults run as they are (SQLite under var/, the django-q2 ORM broker, local-memory
cache, console email). DATABASE_URL, REDIS_URL, EMAIL_URL and JITSI_* switch to the
real services; production differs only by environment. Every variable is listed in
.env.example and the README.
"""

import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.key_files import key_file_once
from config.env import (
    ConfigError,
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis,
    env_str,
    env_timezone,
)
from config.sso import form_action_origins, read_sso_environment

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# pytest-django imports settings inside the pytest process: tasks then run inline.
RUNNING_TESTS = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", default=True)

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-telecampus"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ConfigError(
        "SECRET_KEY", "must be set to a long random value when DEBUG is off."
    )
if not DEBUG and len(SECRET_KEY) < 50:
    raise ConfigError(
        "SECRET_KEY", "must be at least 50 characters long when DEBUG is off."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError(
        "ALLOWED_HOSTS", "must list the site's host names when DEBUG is off."
    )
# The portal's public address, for links in mail, calendar files, PDFs and QR codes.
# In development it follows PORT (what `make run` and gunicorn serve on), so links
# work on any port; in production it must be set, and ops.base_url_check refuses a
# missing or malformed value (a system check error).
PORT = env_int("PORT", 8000, minimum=1)
BASE_URL = env_str("BASE_URL", f"http://127.0.0.1:{PORT}" if DEBUG else "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our domain apps, in dependency order (seed_demo runs their demo.py in this order).
    "accounts",
    # --- apps added by later issues go below this line, in dependency order ---
    "notifications",
    "meetings",
    "courses",
    "certificates",
    "visits",
    "cms",
    "ops",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts and security
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    # Queue and the mail outbox
    "django_q",
    "post_office",
    # Django; the admin is superusers' low-level repair tool (accounts.permissions)
    "accounts.apps.RepairAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffSessionTimeoutMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.ViewerTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "config.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'telecampus.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; the timeout rides out
    # short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Cache and queue ----------------------------------------------------------------
REDIS_URL = env_redis("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

Q_CLUSTER = {
    "name": "telecampus",
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    "timeout": env_int("Q_TIMEOUT", 300, minimum=10),
    "retry": env_int("Q_TIMEOUT", 300, minimum=10) + 60,
    "max_attempts": 5,
    "save_limit": 500,
    "catch_up": False,
    "ack_failures": True,
    "sync": RUNNING_TESTS,
    "label": "Task queue",
}
# Always the ORM broker, Redis or not: it locks a task while a worker holds it and
# hands it to another worker after "retry" seconds if that worker died, where the
# Redis broker pops tasks without acknowledgement (docs/decisions/0019).
Q_CLUSTER["orm"] = "default"
# A worker whose last heartbeat is older than this is reported as down by /healthz.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int(
    "WORKER_HEARTBEAT_MAX_AGE_SECONDS", 150, minimum=60
)

# --- Accounts, sign-in and MFA ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Staff land on their own work after sign-in (accounts.landing); patients on "/".
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
# Sign-up asks for an email address only: a username field would have to say "that
# username is taken", which tells anyone which usernames exist. allauth generates a
# username; staff accounts created by administrators keep theirs. With enumeration
# prevention, a taken email gets the same answer as a new one and its owner an email.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if not DEBUG and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    # Without mandatory verification allauth must answer "this address is taken"
    # at sign-up, which tells anyone who has an account.
    raise ConfigError(
        "ACCOUNT_EMAIL_VERIFICATION",
        "must be mandatory when DEBUG is off, or sign-up reveals who has an account.",
    )
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Wagtail sends signed-in people without admin access to the login URL; showing the
# page (with Wagtail's message) instead of bouncing back avoids a redirect loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed sign-ins are throttled per account and per address (allauth, cache-based).
# Per account it is strict (5 failures in 15 minutes lock that account only); per
# address it is loose, because a hospital's hundreds of staff share one NAT address
# and one person's typos must not lock out everyone else there (README, sign-in).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "30/m/ip,5/15m/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TeleCampus"
# Accept the previous and next 30-second code too: phones drift and people type slowly.
# allauth still refuses a code that was already used in that window.
MFA_TOTP_TOLERANCE = 1
# Roles that must have TOTP before they reach admin or clinical pages.
MFA_REQUIRED_PATH_PREFIXES = [
    "/admin/",
    "/django-admin/",
    "/visits/",
    "/meetings/",
    "/courses/",
    "/staff/",
]
# --- Staff single sign-on (OpenID Connect, SAML 2.0), docs/decisions/0017 --------
SOCIALACCOUNT_PROVIDERS, SSO_PROVIDERS, SSO_CONFIGURATION_PROBLEMS = (
    read_sso_environment()
)
SOCIALACCOUNT_ADAPTER = "accounts.sso.SingleSignOnAdapter"
# Every staff member's first sign-in through the directory makes their account
# (just in time); the directory vouches for the address and the person.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False
# The sign-in page posts to the provider's login URL (a GET could be forged).
SOCIALACCOUNT_LOGIN_ON_GET = False

STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
if RUNNING_TESTS:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Email ------------------------------------------------------------------------
_email = env_email("EMAIL_URL", "console://", BASE_DIR)
vars().update(_email)
if not DEBUG and _email["EMAIL_BACKEND"].split(".")[-2] in {"console", "locmem"}:
    # Console mail would print password-reset links and visit notices into the
    # server's logs; kept in memory, it would never arrive.
    raise ConfigError(
        "EMAIL_URL", "must name a mail server (smtp:// or smtps://) when DEBUG is off."
    )
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "TeleCampus <no-reply@telecampus.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# One durable outbox for every message the portal sends (docs/decisions/0016): the
# EMAIL_BACKEND every send_mail() and EmailMessage.send() goes through only stores
# the message (django-post-office's Email table), so no page fails because the
# mail server is down. ops.tasks.send_queued_email_task delivers through
# EMAIL_DELIVERY_BACKEND, the one EMAIL_URL names, retrying with backoff; messages
# given up on stay "failed" in the Django admin (Post Office > Emails) to requeue
# for EMAIL_KEEP_SENT_DAYS.
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_BACKEND = "post_office.EmailBackend"
# Delivery attempts before a message is given up: 1, 2, 4 ... minutes apart, at
# most an hour, so the default 12 tries span about six hours.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 12, minimum=1)
EMAIL_RETRY_MAX_MINUTES = env_int("EMAIL_RETRY_MAX_MINUTES", 60, minimum=1)
# Delivered and given-up messages (with their links) are deleted after this many
# days (a given-up one counts from its last try).
EMAIL_KEEP_SENT_DAYS = env_int("EMAIL_KEEP_SENT_DAYS", 30, minimum=1)
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    # Retries are ours (ops.outbox), with backoff and a cross-worker claim.
    "MAX_RETRIES": 0,
    "LOG_LEVEL": 2,
    # A message re-sent after a crash keeps its Message-ID: mail clients show it once.
    "MESSAGE_ID_ENABLED": True,
    "MESSAGE_ID_FQDN": env_str("EMAIL_MESSAGE_ID_DOMAIN", "telecampus.example"),
}

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
# Never "direct": document links must go through Wagtail's serve view, where the
# before_serve_document hook (courses) refuses CME lecture files.
WAGTAILDOCS_SERVE_METHOD = "redirect" if AWS_STORAGE_BUCKET_NAME else "serve_view"
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if AWS_STORAGE_BUCKET_NAME
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or RUNNING_TESTS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "TeleCampus"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int(
    "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024
)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# --- Security headers -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Our own pages are never framed. The Jitsi embed is the other way round (we frame
# Jitsi), which CSP frame-src below allows; see docs/decisions/0003-security-headers.md.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy every request comes from its address: throttling by address
    # must read the client's from the X-Forwarded-For entry the proxy appended.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)
    RATELIMIT_IP_META_KEY = "accounts.client_ip.client_ip"

JITSI_DOMAIN = env_str("JITSI_DOMAIN", "meet.jit.si")
_JITSI_ORIGIN = f"https://{JITSI_DOMAIN}"
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin still relies on inline scripts and styles; it is staff-only
    # behind MFA, so it gets no CSP rather than an 'unsafe-inline' one for everyone.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _JITSI_ORIGIN],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "frame-src": [
            "'self'",
            _JITSI_ORIGIN,
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'"],
        # The installable app's service worker and manifest (ops.phone_app).
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # Plus each single sign-on provider's origin (config/sso.py).
        "form-action": ["'self'", *form_action_origins(SSO_PROVIDERS)],
        "frame-ancestors": ["'none'"],
    },
}

# --- Logging ------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Request paths in log lines (django.request's "Not Found: /path") lose their
    # secrets and search terms, as in gunicorn's access log (gunicorn.conf.py).
    "filters": {"redact": {"()": "config.log_redaction.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's default handlers for these (they would print unfiltered).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every background task (reference index updates) at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Demo -------------------------------------------------------------------------
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "telecampus-demo")
# Base32 TOTP secret shared by the staff personas so a person can sign in to the demo.
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

# Bare comparison views for bench/ scripts; never enable in production.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS", default=False)

# --- App settings added by later issues go below, one block per app -------------------

# --- meetings ---
# JITSI_DOMAIN (above) is the Jitsi Meet host. Without JITSI_APP_SECRET or
# JITSI_PRIVATE_KEY no token is minted and people join by the plain room URL.
JITSI_APP_ID = env_str("JITSI_APP_ID")
JITSI_APP_SECRET = env_str("JITSI_APP_SECRET")
# RS256 deployments: PEM text (literal "\\n" is read as a newline) and its key id.
JITSI_PRIVATE_KEY = env_str("JITSI_PRIVATE_KEY").replace("\\n", "\n")
JITSI_KID = env_str("JITSI_KID")
# For https://domain/tenant/room deployments; the token's sub is then the tenant.
JITSI_TENANT = env_str("JITSI_TENANT")
JITSI_XMPP_DOMAIN = env_str("JITSI_XMPP_DOMAIN", JITSI_DOMAIN)
JITSI_EARLY_JOIN_MINUTES = env_int("JITSI_EARLY_JOIN_MINUTES", 10, minimum=0)
JITSI_RECONNECT_GRACE_MINUTES = env_int("JITSI_RECONNECT_GRACE_MINUTES", 30, minimum=0)
# Shared secret Prosody's event-sync module sends as "Authorization: Bearer ...".
JITSI_WEBHOOK_SECRET = env_str("JITSI_WEBHOOK_SECRET")
MEETINGS_REMINDER_OFFSETS_MINUTES = sorted(
    (
        int(value)
        for value in env_list("MEETINGS_REMINDER_OFFSETS_MINUTES", ["1440", "15"])
    ),
    reverse=True,
)
MEETINGS_MAX_OCCURRENCES = env_int("MEETINGS_MAX_OCCURRENCES", 104, minimum=1)
MEETINGS_MAX_DURATION_MINUTES = 24 * 60
MEETINGS_SWEEP_MINUTES = env_int("MEETINGS_SWEEP_MINUTES", 1, minimum=1)
MEETINGS_GUEST_LINK_GRACE_HOURS = env_int(
    "MEETINGS_GUEST_LINK_GRACE_HOURS", 2, minimum=0
)
# Fan-out caps: one form post may not queue thousands of emails.
MEETINGS_MAX_GUESTS = env_int("MEETINGS_MAX_GUESTS", 50, minimum=1)
MEETINGS_MAX_PARTICIPANTS = env_int("MEETINGS_MAX_PARTICIPANTS", 300, minimum=1)

# --- courses ---
# A lecture is complete once this share of its duration has been watched (unique).
COURSES_LECTURE_COMPLETE_PERCENT = env_int(
    "COURSES_LECTURE_COMPLETE_PERCENT", 90, minimum=1
)
# Fastest playback the server believes: reports beyond it are clamped.
COURSES_MAX_PLAYBACK_RATE = env_int("COURSES_MAX_PLAYBACK_RATE", 2, minimum=1)
# How long a gap between two progress reports still counts as watching time.
COURSES_MAX_REPORT_GAP_SECONDS = env_int(
    "COURSES_MAX_REPORT_GAP_SECONDS", 30, minimum=5
)
# How often the lecture player reports watched segments.
COURSES_PROGRESS_REPORT_SECONDS = env_int(
    "COURSES_PROGRESS_REPORT_SECONDS", 5, minimum=1
)

# --- certificates ---
# PEM of an Ed25519 private key that signs Open Badges credentials; empty derives a
# stable development key from SECRET_KEY (set a real one in production).
CERTIFICATES_SIGNING_KEY = env_str("CERTIFICATES_SIGNING_KEY").replace("\\n", "\n")
# Public verification pages: requests per IP (django-ratelimit syntax).
CERTIFICATES_VERIFY_RATE = env_str("CERTIFICATES_VERIFY_RATE", "60/m")
# Learners whose lines are laid out together (one WeasyPrint document) in bulk issuing.
CERTIFICATES_RENDER_CHUNK = env_int("CERTIFICATES_RENDER_CHUNK", 100, minimum=1)
# WeasyPrint reports every rendering step at INFO; keep its warnings only.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}
# pikepdf announces its C++ logging bridge at INFO in every process that imports it.
LOGGING["loggers"]["pikepdf"] = {"level": "WARNING"}
# --- visits ---
# How long before a visit the patient may still cancel or reschedule it.
VISITS_CANCEL_CUTOFF_HOURS = env_int("VISITS_CANCEL_CUTOFF_HOURS", 2, minimum=0)
# Minutes after the start before a patient who never checked in becomes a no-show.
VISITS_NO_SHOW_GRACE_MINUTES = env_int("VISITS_NO_SHOW_GRACE_MINUTES", 15, minimum=1)
# Hours before a visit when the reminder email goes out.
VISITS_REMINDER_HOURS = env_int("VISITS_REMINDER_HOURS", 24, minimum=1)
# Minutes an alert may stay unacknowledged before it escalates.
VISITS_ALERT_ESCALATION_MINUTES = env_int(
    "VISITS_ALERT_ESCALATION_MINUTES", 60, minimum=1
)
# Address that receives escalated monitoring alerts (no clinical details in it).
VISITS_ESCALATION_EMAIL = env_str(
    "VISITS_ESCALATION_EMAIL", "oncall@telecampus.example"
)
# Largest accepted upload (readings files, documents and images), in bytes.
VISITS_UPLOAD_MAX_BYTES = env_int(
    "VISITS_UPLOAD_MAX_BYTES", 2 * 1024 * 1024, minimum=1024
)
# Most readings accepted in one uploaded file.
VISITS_MAX_UPLOAD_READINGS = env_int("VISITS_MAX_UPLOAD_READINGS", 1000, minimum=1)
# Longest break-glass access, in minutes.
VISITS_BREAK_GLASS_MINUTES = env_int("VISITS_BREAK_GLASS_MINUTES", 60, minimum=5)
# Days a specialist may read what a referral shares.
VISITS_REFERRAL_ACCESS_DAYS = env_int("VISITS_REFERRAL_ACCESS_DAYS", 30, minimum=1)
# --- cms ---
INSTALLED_APPS += [
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.api.v2",
    "rest_framework",
]
# The anonymous page cache sits before sessions so a cached page costs no database
# work; it only stores responses that cms pages marked as cacheable.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "cms.middleware.AnonymousPageCacheMiddleware",
)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Wagtail 8's autosave is off: on the create view it posted the form in the background
# as soon as a StreamField block was added, before the rich text reached the form,
# so the page was created with an empty body, and a click on "Save draft" while that
# request was in flight posted the create form a second time (500 "slug already in
# use"). See tests/cms/test_editorial_journeys.py.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# No avatars from gravatar.com: no staff email hashes leave the site, no broken image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Draftail with an accessible name for its editable area (see cms/rich_text.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "cms.rich_text.LabelledDraftailRichTextArea"}
}
if USING_POSTGRES:
    # English stemming plus unaccent, created by cms migration 0005: search matches
    # "presion arterial" to "presión arterial" in both languages.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "telecampus_search"
# Seconds an anonymous page (and the alert banner) may be served from the cache. The
# cache never outlives the next alert start or end; 0 turns caching off (tests do,
# so that rolled-back test data never leaks through the process-wide cache).
CMS_PAGE_CACHE_SECONDS = env_int(
    "CMS_PAGE_CACHE_SECONDS", 0 if RUNNING_TESTS else 300, minimum=0
)
# An article's next clinical review falls this many months after its last review.
CMS_REVIEW_INTERVAL_MONTHS = env_int("CMS_REVIEW_INTERVAL_MONTHS", 12, minimum=1)
# Longest search query we act on; longer input is cut, never refused.
CMS_SEARCH_MAX_QUERY_LENGTH = env_int("CMS_SEARCH_MAX_QUERY_LENGTH", 200, minimum=10)
REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# --- notifications (Web Push) ---
# PEM of the P-256 private key that signs our pushes (VAPID). Empty in development:
# notifications.vapid makes one in VAR_DIR. Required when DEBUG is off (ops.E011).
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY").replace("\\n", "\n")
# Who push services may contact about our traffic (a mailto: or https: URL).
WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", "mailto:it@telecampus.example")
# --- Patients' apps: SMART on FHIR (issue 16, docs/decisions/0020-smart-on-fhir.md) ---
INSTALLED_APPS += ["oauth2_provider"]


def _smart_signing_key() -> str:
    """The RSA key that signs OpenID id_tokens. Production sets it; development and
    tests keep one in var/ so that tokens survive a restart."""
    pem = env_str("SMART_OIDC_RSA_PRIVATE_KEY", "").replace("\\n", "\n")
    if pem or not (DEBUG or RUNNING_TESTS):
        return pem
    return key_file_once(
        VAR_DIR / "smart_oidc_rsa_key.pem",
        lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


OAUTH2_PROVIDER = {
    # SMART App Launch 2: every client proves possession with PKCE (S256 only; the
    # authorize view refuses "plain").
    "PKCE_REQUIRED": True,
    "SCOPES_BACKEND_CLASS": "visits.smart.scopes.SmartScopes",
    "OAUTH2_VALIDATOR_CLASS": "visits.smart.validator.SmartValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int(
        "SMART_ACCESS_TOKEN_SECONDS", 3600, minimum=60
    ),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int(
        "SMART_REFRESH_TOKEN_SECONDS", 90 * 24 * 3600, minimum=3600
    ),
    "ROTATE_REFRESH_TOKEN": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _smart_signing_key(),
    "REQUEST_APPROVAL_PROMPT": "force",
    # RFC 9700 (OAuth 2.0 Security BCP), ahead of django-oauth-toolkit 4.0's
    # defaults: no implicit or password grant, S256 only, bearer tokens only in
    # the header, `iss` in the authorization response, hashed token storage, a
    # replayed refresh token revokes its whole family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Apps' callbacks are https in production; development and tests also allow
    # http (local apps on 127.0.0.1).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
}
# Largest FHIR resource an app may post, and the most entries on one search page.
SMART_MAX_BODY_BYTES = env_int("SMART_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
SMART_MAX_PAGE_SIZE = env_int("SMART_MAX_PAGE_SIZE", 200, minimum=10)
# --- cluster ---
# Several web nodes and workers behind HAProxy and Varnish (docs/decisions/0019,
# `make cluster`). Each setting here is off by default: one machine runs as before.
# The name /healthz reports, so a load balancer's answers can be told apart.
import socket  # noqa: E402

NODE_NAME = env_str("NODE_NAME") or socket.gethostname()
if REDIS_URL:
    # Sessions read from the shared cache and written through to the database,
    # so any node serves any request and a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Varnish (or any cache answering HTTP PURGE) in front of the web nodes. With it,
# anonymous cms pages are cached there (Cache-Control s-maxage) and purged on
# publish, unpublish, move and alert changes; the in-process page cache stands down.
FRONTEND_CACHE_URL = env_str("FRONTEND_CACHE_URL").rstrip("/")
if FRONTEND_CACHE_URL:
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
