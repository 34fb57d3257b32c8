"""Accounts' reports as the API shows them."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel


class DepositMonthOut(BaseModel):
    month: int
    required: int
    required_amount: Decimal
    waived: int
    waived_amount: Decimal
    refunded: int
    refunded_amount: Decimal
    credited: int
    credited_amount: Decimal


class Deposits(BaseModel):
    """Deposits in a year by month: required (charged at move-in), waived, refunded and
    credited to the bill; held at the year's opening and closing (opening + required -
    refunded - credited = closing), and what the accounts hold today."""

    year: int
    months: list[DepositMonthOut]
    total: DepositMonthOut
    held_opening: Decimal
    held_closing: Decimal
    accounts_holding_now: int
    held_now: Decimal
