"""Set-based SQL for the demo loader: rows arrive as one JSON document per table."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_INSERTS: dict[str, str] = {
    "customers": """
        INSERT INTO customers (id, kind, name, mailing_address, phones, emails, language,
                               paperless, text_messages)
        SELECT id, kind, name, mailing_address, phones, emails, language, paperless,
               text_messages
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, kind text, name text,
             mailing_address jsonb, phones text[], emails text[], language text,
             paperless boolean, text_messages boolean)""",
    "accounts": """
        INSERT INTO accounts (id, number, customer_id, status, deposit_held,
                              deposit_held_since, opened_on)
        SELECT id, number, customer_id, status, deposit_held, deposit_held_since, opened_on
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, number text,
             customer_id uuid, status text, deposit_held numeric, deposit_held_since date,
             opened_on date)""",
    "premises": """
        INSERT INTO premises (id, address, apn, kind, dwelling_units, cycle, route, latitude,
                              longitude, location_note)
        SELECT id, address, apn, kind, dwelling_units, cycle, route, latitude, longitude,
               location_note
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, address jsonb, apn text,
             kind text, dwelling_units int, cycle text, route text, latitude numeric,
             longitude numeric, location_note text)""",
    "meters": """
        INSERT INTO meters (id, serial, size, kind, dials, multiplier, unit, endpoint_id,
                            status, premise_id, installed_at, install_read)
        SELECT id, serial, size, kind, dials, multiplier, unit, endpoint_id, status,
               premise_id, installed_at, install_read
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, serial text, size text,
             kind text, dials int, multiplier numeric, unit text, endpoint_id text,
             status text, premise_id uuid, installed_at date, install_read numeric)""",
    "service_agreements": """
        INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class,
                                        meter_id, start_date, status)
        SELECT id, account_id, premise_id, service, rate_class, meter_id, start_date, status
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, account_id uuid,
             premise_id uuid, service text, rate_class text, meter_id uuid, start_date date,
             status text)""",
    "backflow_devices": """
        INSERT INTO backflow_devices (id, premise_id, kind, serial, size, location,
                                      installed_on, next_test_due, last_tested_on, last_result)
        SELECT id, premise_id, kind, serial, size, location, installed_on, next_test_due,
               last_tested_on, last_result
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, premise_id uuid, kind text,
             serial text, size text, location text, installed_on date, next_test_due date,
             last_tested_on date, last_result text)""",
    "meter_history": """
        INSERT INTO meter_history (meter_id, premise_id, action, on_date, read_value, actor)
        SELECT meter_id, premise_id, action, on_date, read_value, actor
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(meter_id uuid, premise_id uuid,
             action text, on_date date, read_value numeric, actor text)""",
    "deposit_transactions": """
        INSERT INTO deposit_transactions (account_id, kind, amount, on_date, reason, actor)
        SELECT account_id, kind, amount, on_date, reason, actor
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(account_id uuid, kind text,
             amount numeric, on_date date, reason text, actor text)""",
    # rebates (issue 15): a few forms waiting for approval
    "rebate_applications": """
        INSERT INTO rebate_applications (id, account_id, premise_id, programme, units, amount,
                                         payment, received_on, installed_on, requested_by)
        SELECT id, account_id, premise_id, programme, units, amount, payment, received_on,
               installed_on, requested_by
        FROM jsonb_to_recordset(CAST(:doc AS jsonb)) AS t(id uuid, account_id uuid,
             premise_id uuid, programme text, units numeric, amount numeric, payment text,
             received_on date, installed_on date, requested_by text)""",
}


async def insert_rows(session: AsyncSession, table: str, rows: list[dict[str, Any]],
                      chunk: int = 5000) -> None:
    for i in range(0, len(rows), chunk):
        await session.execute(text(_INSERTS[table]),
                              {"doc": json.dumps(rows[i:i + chunk], default=str)})


async def next_account_sequences(session: AsyncSession, n: int) -> list[int]:
    rows = await session.execute(
        text("SELECT nextval('account_number_seq') FROM generate_series(1, :n)"), {"n": n})
    return [int(r[0]) for r in rows]


async def has_accounts(session: AsyncSession) -> bool:
    return bool((await session.execute(
        text("SELECT EXISTS (SELECT 1 FROM accounts)"))).scalar_one())
