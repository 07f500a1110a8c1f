"""Settings of the app instances the scale-out test starts: the development settings (read from the
environment like production), plus the test suite's password hasher so the factories' users can log in."""

from kansenagenda.settings.dev import *  # noqa: F401,F403
from kansenagenda.settings.dev import env

EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # the test counts the e-mails the workers write

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
