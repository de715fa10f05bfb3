"""Accounts under /accounts/: Django's auth views with the portal's templates (templates/registration/).

URL names are Django's own (login, logout, password_change, …), so Django's views and emails find them.
Logout is POST only (Django 5). Lockout after repeated failures is django-axes (see AXES_* in settings).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from nwwmh_portal import accounts, mfa_views

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=accounts.PasswordChangeForm),
        name="password_change",
    ),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mfa/setup/", mfa_views.setup, name="mfa-setup"),
    path("mfa/verify/", mfa_views.verify, name="mfa-verify"),
    path("mfa/recovery/", mfa_views.recovery, name="mfa-recovery"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes, name="mfa-recovery-codes"),
]
