from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=False)  # tests that check 2FA switch it on
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"}}  # noqa: F405
# Tasks run eagerly in tests even when REDIS_URL is set; tests marked needs_worker switch to a real worker.
CELERY_TASK_ALWAYS_EAGER = True
DASHBOARD_CACHE_SECONDS = 0  # figures are compared with fresh sums; tests/reports/test_dashboard_cache.py turns it on
