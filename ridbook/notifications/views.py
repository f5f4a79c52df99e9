"""«Мои уведомления»: the letters written to me, and my choice to get them or not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ridbook.notifications.forms import PreferenceForm
from ridbook.notifications.services import letters_of, preference_of, preference_save

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    preference = preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_save(actor=request.user, **form.cleaned_data)
            if form.cleaned_data["email_enabled"]:
                messages.success(request, _("Письма включены."))
            else:
                messages.success(request, _("Письма отключены. Задачи по-прежнему появляются в «Мои задачи и сроки»."))
            return redirect("notifications:mine")
    else:
        form = PreferenceForm(initial={"email_enabled": preference.email_enabled, "language": preference.language})
    page = Paginator(letters_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/mine.html", {"form": form, "page": page, "preference": preference})
