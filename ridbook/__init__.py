"""ridbook — учёт результатов интеллектуальной деятельности (РИД)."""

from ridbook.celery import app as celery_app

__all__ = ["celery_app"]
