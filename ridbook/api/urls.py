from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from ridbook.accounts.api import UserViewSet
from ridbook.api import views
from ridbook.commission.api import CommissionViewSet, MeetingViewSet
from ridbook.notifications.api import MyLetters, MyPreference
from ridbook.prosecution.api import ApplicationViewSet, DocketTaskViewSet
from ridbook.protection.api import DocumentViewSet, FeeRateViewSet, PaymentViewSet
from ridbook.registry.api import PersonViewSet, RidViewSet
from ridbook.security.api import SecurityEventList, TokenView
from ridbook.tradesecret import api as ts
from ridbook.tradesecret.api_keeping import InventoryViewSet, TradeSecretViewSet

app_name = "api"

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("rids", RidViewSet, basename="rid")
router.register("people", PersonViewSet, basename="person")
router.register("commissions", CommissionViewSet, basename="commission")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("users", UserViewSet, basename="user")
router.register("applications", ApplicationViewSet, basename="application")
router.register("docket-tasks", DocketTaskViewSet, basename="docket-task")
router.register("protection-documents", DocumentViewSet, basename="protection-document")
router.register("fee-payments", PaymentViewSet, basename="fee-payment")
router.register("fee-rates", FeeRateViewSet, basename="fee-rate")
router.register("trade-secrets", TradeSecretViewSet, basename="trade-secret")
router.register("trade-secret-inventories", InventoryViewSet, basename="trade-secret-inventory")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # for signed-in users: the schema answers 401 (SPECTACULAR_SETTINGS), the docs page sends to the login page
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", views.me, name="me"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<str:name>/", views.policy_detail, name="policy-detail"),
    path("deadlines/", views.my_deadlines, name="deadlines"),
    path("notifications/", MyLetters.as_view(), name="notifications"),
    path("notifications/preference/", MyPreference.as_view(), name="notification-preference"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export/", views.audit_export, name="audit-export"),
    path("security-events/", SecurityEventList.as_view(), name="security-events"),
    path("working-days/", views.working_days, name="working-days"),
    path("trade-secrets/journal/", ts.JournalView.as_view(), name="trade-secret-journal"),
    path("trade-secrets/rids/<int:pk>/", ts.RegimeView.as_view(), name="trade-secret-regime"),
    path("trade-secrets/rids/<int:pk>/present/", ts.PresentView.as_view(), name="trade-secret-present"),
    path("trade-secrets/rids/<int:pk>/council/", ts.CouncilView.as_view(), name="trade-secret-council"),
    path("trade-secrets/rids/<int:pk>/approve/", ts.ApproveView.as_view(), name="trade-secret-approve"),
    path("trade-secrets/rids/<int:pk>/grant/", ts.GrantView.as_view(), name="trade-secret-grant"),
    path("trade-secrets/rids/<int:pk>/revoke/", ts.RevokeView.as_view(), name="trade-secret-revoke"),
    path("trade-secrets/rids/<int:pk>/content/", ts.ContentView.as_view(), name="trade-secret-content"),
    path("", include(router.urls)),
]
