"""The night's plan and its rules (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kernel import servicetoken
from nightly import domain

LA = ZoneInfo("America/Los_Angeles")


def test_a_night_runs_collections_autopay_deposits_leaks_then_reports_in_that_order():
    steps = domain.plan(date(2026, 6, 10))
    assert [s.name for s in steps] == ["collections", "autopay", "deposits", "leaks", "reports"]
    assert steps[0].call is not None and steps[0].call.params == {"today": "2026-06-10"}
    assert steps[1].call is not None and steps[1].call.json == {"today": "2026-06-10"}


def test_leak_detection_reads_the_day_before_whose_intervals_are_complete():
    leaks = domain.plan(date(2026, 3, 1))[3]
    assert leaks.call is not None and leaks.call.params == {"day": "2026-02-28"}


def test_reports_are_kept_on_the_first_of_the_month_for_the_month_just_ended():
    assert domain.plan(date(2026, 6, 10))[4].call is None
    assert domain.plan(date(2026, 6, 10))[4].skip_reason
    assert domain.plan(date(2026, 1, 1))[4].call is not None
    assert domain.previous_month(date(2026, 1, 1)) == "2025-12"


def test_a_failed_step_is_tried_after_1_5_and_30_minutes_then_left_for_a_supervisor():
    t = datetime(2026, 6, 10, 8, 30, tzinfo=UTC)
    assert [domain.next_attempt(n, t) for n in (1, 2, 3, 4)] == [
        t + timedelta(minutes=1), t + timedelta(minutes=5), t + timedelta(minutes=30), None]


def test_the_night_is_due_once_the_local_clock_passes_the_scheduled_time():
    at = time(1, 30)
    # 09:00 UTC is 01:00 in Los Angeles in winter: not yet; 09:45 UTC is 01:45: due
    assert domain.due_day(datetime(2026, 1, 15, 9, 0, tzinfo=UTC), at, LA) is None
    assert domain.due_day(datetime(2026, 1, 15, 9, 45, tzinfo=UTC), at, LA) == date(2026, 1, 15)
    # 03:00 UTC is still the evening before in Los Angeles: that day's night was due already
    assert domain.due_day(datetime(2026, 1, 16, 3, 0, tzinfo=UTC), at, LA) == date(2026, 1, 15)


def test_a_run_is_running_while_a_step_may_still_run_and_failed_when_one_gave_up():
    assert domain.run_status(["succeeded", "retrying", "skipped"]) == "running"
    assert domain.run_status(["succeeded", "failed", "skipped"]) == "failed"
    assert domain.run_status(["succeeded", "succeeded", "skipped"]) == "succeeded"


def test_the_nights_token_is_good_only_for_the_nights_routes():
    assert servicetoken.allowed("POST", "/api/collections/daily")
    assert servicetoken.allowed("GET", "/api/payments/reports/receipts-by-tender.pdf")
    assert not servicetoken.allowed("GET", "/api/collections/daily/progress")  # a GET
    assert not servicetoken.allowed("POST", "/api/collections/dailyx")
    assert not servicetoken.allowed("GET", "/api/accounts/search")
    assert not servicetoken.allowed("POST", "/api/payments/autopay/files")


def test_a_nights_step_may_take_the_step_timeout_where_a_person_gets_the_upstream_timeout():
    from gateway.proxy import Upstreams
    from kernel.settings import get_settings

    settings = get_settings()
    ups = Upstreams(settings)
    assert ups.timeout(None).sock_read == settings.upstream_timeout
    assert ups.timeout(settings.nightly_step_timeout).sock_read == 600
