"""Logs are JSON lines with the request id, and never carry tokens or passwords."""

from __future__ import annotations

import json
import logging

from kernel.logs import JsonFormatter, redact, request_id_var


def test_bearer_tokens_and_passwords_are_redacted():
    line = redact("Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig password=hunter2 ok")
    assert "eyJ" not in line and "hunter2" not in line and "ok" in line


def test_a_log_line_is_json_with_the_request_id():
    token = request_id_var.set("req-12345678")
    try:
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "token=abc.def.ghi", None, None)
        out = json.loads(JsonFormatter("billing").format(record))
    finally:
        request_id_var.reset(token)
    assert out["request_id"] == "req-12345678" and out["service"] == "billing"
    assert "abc.def" not in out["msg"]
