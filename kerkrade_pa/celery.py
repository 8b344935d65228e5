"""Celery application. With REDIS_URL unset, settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings")

app = Celery("kerkrade_pa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Sub-packages with tasks of their own (autodiscovery looks at <app>.tasks only).
app.autodiscover_tasks(["cycle.bids", "cycle.endevaluation", "cycle.evaluation"])
