import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenagenda.settings.dev")

app = Celery("kansenagenda")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
