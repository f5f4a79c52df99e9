"""Pages: sign-in (with the lockout), «Мой профиль» (the API token) and the security log."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from ridbook.accounts.models import User, in_force_q
from ridbook.accounts.permissions import Action, require
from ridbook.security.forms import EventFilterForm
from ridbook.security.selectors import security_events
from ridbook.security.signin import THROTTLED_MESSAGE, SignInForm, SignInLocked, sign_in_allowed
from ridbook.security.tokens import token_expires_at, token_is_expired, token_reissue, token_revoke


class SignInView(LoginView):
    template_name = "web/login.html"
    form_class = SignInForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sign_in_allowed(request):
            context = self.get_context_data(form=self.get_form(), throttled_message=THROTTLED_MESSAGE)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = SignInLocked.status
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    token = Token.objects.filter(user=user).first()
    roles = user.role_assignments.filter(in_force_q()).select_related("organization")
    return render(
        request,
        "security/profile.html",
        {
            "roles": roles,
            "token": token,
            "token_expires_at": token_expires_at(token) if token else None,
            "token_expired": token_is_expired(token) if token else False,
        },
    )


@login_required
@require_POST
def profile_token_issue(request: HttpRequest) -> HttpResponse:
    token = token_reissue(user=request.user, request=request)
    messages.success(
        request, _("Новый токен API: %(key)s. Сохраните его: прежний токен больше не действует.") % {"key": token.key}
    )
    return redirect("security:profile")


@login_required
@require_POST
def profile_token_revoke(request: HttpRequest) -> HttpResponse:
    if token_revoke(user=request.user, request=request):
        messages.success(request, _("Токен API отозван: запросы с ним больше не принимаются."))
    else:
        messages.info(request, _("У вас нет токена API."))
    return redirect("security:profile")


@login_required
def events(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.SECURITY_LOG_VIEW)
    form = EventFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "username": data["user"], "since": data["since"], "until": data["until"]}
    rows = security_events(request.user, **filters).prefetch_related("organizations")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "security/events.html", {"form": form, "page": page, "query": query})
