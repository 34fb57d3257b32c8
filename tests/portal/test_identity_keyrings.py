"""The TOTP and bank keyrings read their key file once per process, and a rotated key file
(a new key prepended) takes effect when the process restarts, opening what the old key sealed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gateway.portal.service import _opened, _ring, _sealed
from kernel.bankaccount import BankKeyring, bank_keyring, bank_keys_file
from kernel.settings import REPO_ROOT, Settings

USER = uuid.UUID("00000000-0000-4000-8000-000000000001")

# One process of the gateway or payments: seal a fresh secret with each keyring, open the given
# tokens, and report the key ids in use. Run twice, a restart between.
PROCESS = """
import json, sys, uuid
from pathlib import Path
from gateway.portal.service import _opened, _ring, _sealed
from kernel.bankaccount import bank_keyring
from kernel.settings import Settings

settings = Settings(data_dir=Path(sys.argv[1]))
given = json.loads(sys.argv[2])
user = uuid.UUID(int=1)
print(json.dumps({
    "totp_key": _ring(settings).current_key_id,
    "bank_key": bank_keyring(settings).current_key_id,
    "totp_token": _sealed(settings, user, "JBSWY3DPEHPK3PXP"),
    "bank_token": bank_keyring(settings).encrypt("000123456789", context="e1"),
    "totp_opened": _opened(settings, user, given["totp"]) if given else None,
    "bank_opened": bank_keyring(settings).decrypt(given["bank"], context="e1") if given else None,
}))
"""


def _process(data_dir: Path, given: dict[str, str] | None = None) -> dict[str, str | None]:
    env = {k: v for k, v in os.environ.items() if k not in ("TAPLINE_TOTP_KEYS",
                                                             "TAPLINE_BANK_KEYS")}
    done = subprocess.run([sys.executable, "-c", PROCESS, str(data_dir), json.dumps(given)],
                          capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _prepend_key(path: Path, kid: str) -> None:
    path.write_text(f"{kid}:{BankKeyring.generate_key()}\n" + path.read_text().replace("\n", ",")
                    .strip(",") + "\n")


@pytest.mark.parametrize("ring_of", [
    pytest.param(lambda s: _ring(s), id="totp"),
    pytest.param(lambda s: bank_keyring(s), id="bank"),
])
def test_a_process_reads_its_key_file_once(tmp_path, ring_of):
    settings = Settings(data_dir=tmp_path)
    first = ring_of(settings)
    path = settings.keys_dir / ("totp-keys" if "Totp" in type(first).__name__ else "bank-keys")
    _prepend_key(path, "k2")
    again = ring_of(settings)
    assert again is first  # not re-read: the same keyring object, still sealing with k1
    assert again.current_key_id == "k1"


def test_a_configured_keyring_is_parsed_once_and_a_different_setting_is_its_own(tmp_path):
    spec = f"a:{BankKeyring.generate_key()}"
    settings = Settings(data_dir=tmp_path, bank_keys=spec)
    assert bank_keyring(settings) is bank_keyring(settings)
    other = Settings(data_dir=tmp_path, bank_keys=f"b:{BankKeyring.generate_key()},{spec}")
    assert bank_keyring(other).current_key_id == "b"
    assert not bank_keys_file(settings).exists()  # a configured ring writes no file


def test_a_rotated_key_file_takes_effect_on_restart_and_old_secrets_still_open(tmp_path):
    before = _process(tmp_path)
    assert before["totp_key"] == "k1" and before["bank_key"] == "k1"

    keys = Settings(data_dir=tmp_path).keys_dir
    _prepend_key(keys / "totp-keys", "k2")
    _prepend_key(keys / "bank-keys", "k2")

    after = _process(tmp_path, {"totp": str(before["totp_token"]),
                                "bank": str(before["bank_token"])})
    assert after["totp_key"] == "k2" and after["bank_key"] == "k2"
    assert str(after["totp_token"]).split(".")[1] == "k2"
    assert str(after["bank_token"]).split(".")[1] == "k2"
    assert after["totp_opened"] == "JBSWY3DPEHPK3PXP"  # sealed under k1 before the restart
    assert after["bank_opened"] == "000123456789"


def test_this_process_opens_a_seed_sealed_by_another_process_sharing_the_key_file(tmp_path):
    sealed = _process(tmp_path)
    settings = Settings(data_dir=tmp_path)
    assert _opened(settings, uuid.UUID(int=1), str(sealed["totp_token"])) == "JBSWY3DPEHPK3PXP"
    assert _opened(settings, USER, _sealed(settings, USER, "ABC")) == "ABC"
