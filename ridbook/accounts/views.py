"""The users pages: an organization's administrator lists his organizations' users, adds one (or invites him),
assigns and ends roles with dates, deactivates accounts. And the invitee's page to set his password once."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ridbook.accounts import services
from ridbook.accounts.forms import RoleAssignForm, RoleEndForm, UserCreateForm, UserFilterForm
from ridbook.accounts.invitations import LINK_MESSAGES, LinkState, invitation_tokens, user_from_uid
from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.permissions import Action, require
from ridbook.accounts.selectors import assignments_managed_by, search_users, users_managed_by, with_managed_roles
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError
from ridbook.core.forms import apply_domain_error


@login_required
def users(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ROLE_ASSIGN)
    form = UserFilterForm(request.GET or None, actor=request.user)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    found = with_managed_roles(search_users(request.user, **filters), request.user)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/users.html", {"form": form, "page": page, "query": query})


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ROLE_ASSIGN)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            invited = _(" Приглашение отправлено на %(email)s.") % {"email": user.email} if user.invited_at else ""
            messages.success(
                request,
                _("Пользователь %(full_name)s добавлен.%(invited)s")
                % {"full_name": user.full_name, "invited": invited},
            )
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _managed_user(request: HttpRequest, pk: int) -> User:
    require(request.user, Action.ROLE_ASSIGN)
    return cast(User, get_object_or_404(users_managed_by(request.user), pk=pk))


def _user_page(request: HttpRequest, user: User, **forms: Any) -> HttpResponse:
    assignments = list(assignments_managed_by(request.user, user))
    current = [a for a in assignments if _open(a)]
    ended = [a for a in assignments if not _open(a)]
    context = {
        "target": user,
        "current": current,
        "ended": ended,
        "assign_form": forms.get("assign_form") or RoleAssignForm(actor=request.user),
        "end_form": forms.get("end_form") or RoleEndForm(),
        "end_for": forms.get("end_for"),
        "error": forms.get("error"),
    }
    status = 400 if any(forms.values()) else 200
    return render(request, "accounts/user_detail.html", context, status=status)


def _open(assignment: RoleAssignment) -> bool:
    """In force today or yet to begin (else ended: kept as history)."""
    return assignment.valid_until is None or assignment.valid_until >= timezone.localdate()


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, _managed_user(request, pk))


USER_ACTIONS = ("assign", "end", "deactivate", "activate", "invite")


@login_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in USER_ACTIONS:
        raise Http404
    user = _managed_user(request, pk)
    actor = request.user
    try:
        if action == "assign":
            form = RoleAssignForm(request.POST, actor=actor)
            if not form.is_valid():
                return _user_page(request, user, assign_form=form)
            try:
                a = services.role_assign(actor=actor, user=user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                return _user_page(request, user, assign_form=form)
            messages.success(
                request,
                _("Роль «%(role)s» назначена с %(valid_from)s.")
                % {"role": a.get_role_display(), "valid_from": format(a.valid_from, "%d.%m.%Y")},
            )
        elif action == "end":
            end_form = RoleEndForm(request.POST)
            if not end_form.is_valid():
                return _user_page(request, user, end_form=end_form, end_for=request.POST.get("assignment"))
            found = get_object_or_404(assignments_managed_by(actor, user), pk=end_form.cleaned_data["assignment"])
            try:
                services.role_end(actor=actor, assignment=found, on=end_form.cleaned_data["on"])
            except DomainError as exc:
                apply_domain_error(end_form, exc)
                return _user_page(request, user, end_form=end_form, end_for=found.pk)
            messages.success(
                request,
                _("Роль «%(role)s» завершается %(valid_until)s.")
                % {"role": found.get_role_display(), "valid_until": format(found.valid_until, "%d.%m.%Y")},
            )
        elif action == "deactivate":
            services.user_deactivate(actor=actor, user=user)
            messages.success(request, _("Учётная запись отключена: вход закрыт, токен API отозван."))
        elif action == "activate":
            services.user_activate(actor=actor, user=user)
            messages.success(request, _("Учётная запись снова действует."))
        else:
            services.user_invite(actor=actor, user=user, base_url=request.build_absolute_uri("/"))
            messages.success(
                request,
                _("Новое приглашение отправлено на %(email)s; прежние ссылки не действуют.") % {"email": user.email},
            )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        return _user_page(request, user, error=exc.message)
    return redirect("accounts:user", pk=user.pk)


def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invitee sets his password once; a used, expired or broken link says so (and names no one)."""
    user = user_from_uid(uidb64)
    state = invitation_tokens.state(user, token)
    if state is not LinkState.VALID:
        status = 404 if state is LinkState.INVALID else 410
        return render(request, "accounts/invitation.html", {"message": LINK_MESSAGES[state]}, status=status)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with acting_as(user):
            form.save()
        messages.success(request, _("Пароль задан. Войдите со своим именем пользователя и паролем."))
        return redirect("web:login")
    return render(request, "accounts/invitation.html", {"form": form, "invitee": user})
