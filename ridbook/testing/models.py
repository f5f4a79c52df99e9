"""Sample models used only by tests of platform mechanisms (installed by ``ridbook.settings_test`` only)."""

from django.db import models

from ridbook.audit.models import ImmutableRecordModel


class SampleDecision(ImmutableRecordModel):
    title = models.CharField(max_length=100)
    outcome = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "образец решения (тесты)"

    def __str__(self) -> str:
        return self.title
