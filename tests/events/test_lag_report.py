"""The relay's lag alarm: raised only by an event waiting past the threshold, and its reason
says what holds events back."""

from __future__ import annotations

from relay.core import LagReport, OldestTransaction, PairLag

TX = OldestTransaction(pid=4242, user="tapline_accounts", application="report",
                       database="tapline", seconds=312.4)


def test_a_long_transaction_with_nothing_waiting_behind_it_raises_no_alarm():
    report = LagReport([PairLag("accounts", "billing", 0, 0.0)], TX, threshold=60)
    assert not report.alarm and report.reason is None


def test_events_waiting_under_the_threshold_raise_no_alarm():
    report = LagReport([PairLag("accounts", "billing", 5, 59.0, held_back=5)], TX, 60)
    assert not report.alarm


def test_events_held_back_past_the_threshold_name_the_transaction_holding_them():
    report = LagReport([PairLag("accounts", "billing", 5, 75.2, held_back=5),
                        PairLag("accounts", "payments", 5, 75.2, held_back=5)], TX, 60)
    assert report.alarm and report.events == 10 and report.seconds == 75.2
    assert report.reason == (
        "10 events wait, the oldest 75 s (alarm at 60 s): held back by a transaction open "
        "312 s (pid 4242, tapline_accounts, report, tapline)")


def test_without_the_statistics_privilege_the_alarm_still_fires_without_the_name():
    report = LagReport([PairLag("billing", "accounts", 3, 90.0, held_back=3)], None, 60)
    assert report.reason is not None and report.reason.endswith("held back by an open transaction")


def test_events_late_with_no_transaction_holding_them_say_the_relay_is_behind():
    report = LagReport([PairLag("billing", "accounts", 3, 90.0, held_back=0)], TX, 60)
    assert report.reason is not None and report.reason.endswith("the relay is behind")
