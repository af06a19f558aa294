"""Settings of the review UI, as the views read them: built from the
``[web]`` section of the configuration (``WebOptions.from_settings``), or by
the tests directly."""

from __future__ import annotations

from dataclasses import dataclass

from mailflow.config import WebSettings


@dataclass(frozen=True)
class WebOptions:
    # None: the cookie is Secure exactly when the request came over https.
    secure_cookies: bool | None = None
    session_hours: float = 12.0
    # Failed sign-ins allowed within the window, per user name and per address.
    max_failures_per_user: int = 5
    max_failures_per_address: int = 20
    failure_window_minutes: int = 15
    # A draft waiting longer than this for a clerk counts against the desk's SLA.
    approval_sla_minutes: int = 60
    dashboard_days: int = 14
    api_token: str | None = None  # None: the warehouse/ERP API is off

    @classmethod
    def from_settings(cls, web: WebSettings) -> WebOptions:
        return cls(
            secure_cookies=web.secure_cookies,
            session_hours=web.session_hours,
            max_failures_per_user=web.max_failures_per_user,
            max_failures_per_address=web.max_failures_per_address,
            failure_window_minutes=web.failure_window_minutes,
            approval_sla_minutes=web.approval_sla_minutes,
            dashboard_days=web.dashboard_days,
            api_token=web.token(),
        )
