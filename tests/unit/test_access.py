"""The upload passcode: its hash format, verification, the wrong-guess throttle and
unlock tokens. Clocks and sleeps are injected: nothing here waits."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from yzlogi import access
from yzlogi.access import (
    AccessError,
    Gate,
    Throttle,
    Unlocks,
    configured_hash,
    hash_passcode,
    parse_hash,
    verify_passcode,
)

ROOT = Path(__file__).resolve().parents[2]
FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap parameters where the cost is not the point
SALT = bytes(range(16))


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Sleeps(list):
    """Records the pauses asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# --- hashing --------------------------------------------------------------------


def test_hash_is_scrypt_with_its_parameters_salt_and_digest():
    encoded = hash_passcode("渝中物流2026", salt=SALT, **FAST)
    expected = hashlib.scrypt("渝中物流2026".encode(), salt=SALT, n=1024, r=8, p=1, dklen=32)
    assert encoded == f"scrypt$1024$8$1${base64.b64encode(SALT).decode()}${base64.b64encode(expected).decode()}"


def test_default_parameters_and_a_fresh_salt_each_time():
    first, second = hash_passcode("correct horse"), hash_passcode("correct horse")
    assert first.split("$")[:4] == ["scrypt", "32768", "8", "3"]
    parsed = parse_hash(first)
    assert (len(parsed.salt), len(parsed.digest)) == (16, 32)
    assert first != second  # salted
    assert verify_passcode("correct horse", first) and verify_passcode("correct horse", second)


def test_verify_accepts_the_right_passcode_and_refuses_others():
    encoded = hash_passcode("correct horse", salt=SALT, **FAST)
    assert verify_passcode("correct horse", encoded) is True
    assert verify_passcode("correct horse ", encoded) is True  # surrounding blanks are not part of it
    assert verify_passcode("Correct horse", encoded) is False
    assert verify_passcode("", encoded) is False


def test_passcodes_match_whatever_unicode_form_the_input_method_produced():
    encoded = hash_passcode("café-渝中-口令", salt=SALT, **FAST)
    assert verify_passcode("cafe\u0301-渝中-口令", encoded) is True


def test_the_final_comparison_is_constant_time(monkeypatch):
    calls = []
    real = access.hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b)))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    encoded = hash_passcode("correct horse", salt=SALT, **FAST)
    assert verify_passcode("wrong horse!", encoded) is False
    assert verify_passcode("correct horse", encoded) is True
    assert calls == [(bytes, bytes), (bytes, bytes)]


def test_a_short_passcode_is_refused():
    with pytest.raises(AccessError, match="口令太短：至少需要 8 个字符"):
        hash_passcode("  1234567  ")


@pytest.mark.parametrize("encoded, message", [
    ("", "格式不正确"),
    ("bcrypt$10$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "格式不正确"),
    ("scrypt$1024$8$1$AAAA", "格式不正确"),
    ("scrypt$abc$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "无法解析"),
    ("scrypt$1024$8$1$not base64!$AAAAAAAAAAAAAAAAAAAAAA==", "无法解析"),
    ("scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "超出允许范围"),
    (f"scrypt${2**21}$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "超出允许范围"),
    ("scrypt$1024$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==", "过短"),
])
def test_malformed_hashes_are_refused_in_chinese(encoded, message):
    with pytest.raises(AccessError, match=message):
        parse_hash(encoded)


def test_the_environment_variable_wins_over_secrets():
    secrets = {"upload": {"passcode_hash": " scrypt$from-secrets "}}
    assert configured_hash({"YZLOGI_PASSCODE_HASH": "scrypt$from-env"}, secrets) == "scrypt$from-env"
    assert configured_hash({}, secrets) == "scrypt$from-secrets"
    assert configured_hash({"YZLOGI_PASSCODE_HASH": "  "}, secrets) == "scrypt$from-secrets"
    assert configured_hash({}, {"upload": {"passcode_hash": ""}}) is None
    assert configured_hash({}, {"other": 1}) is None
    assert configured_hash({}, None) is None


def test_cli_prints_the_hash_of_a_passcode_read_from_stdin():
    out = subprocess.run([sys.executable, "-m", "yzlogi", "passcode", "--stdin"], cwd=ROOT, input="渝中物流口令2026\n",
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip()
    assert "\n" not in line and line.startswith("scrypt$32768$8$3$")
    assert verify_passcode("渝中物流口令2026", line)
    assert "YZLOGI_PASSCODE_HASH" in out.stderr and "渝中物流口令2026" not in out.stderr + out.stdout.replace(line, "")


def test_cli_refuses_a_short_passcode_without_a_traceback():
    out = subprocess.run([sys.executable, "-m", "yzlogi", "passcode", "--stdin"], cwd=ROOT, input="short\n",
                         capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout, out.stderr.strip()) == (1, "", "口令太短：至少需要 8 个字符（首尾空格不计）。")


# --- the throttle -----------------------------------------------------------------


def _throttle(clock: Clock, sleeps: Sleeps) -> Throttle:
    return Throttle(base_s=1, max_s=60, lockout_after=5, lockout_s=900, forget_after_s=3600, pause_s=0.5,
                    clock=clock, sleep=sleeps)


def test_delays_double_after_each_wrong_passcode_then_lock_out():
    clock, sleeps = Clock(), Sleeps()
    throttle = _throttle(clock, sleeps)
    waits = []
    for _ in range(6):
        waits.append(throttle.failed(["session:a"]))
        clock.now += waits[-1]  # the next attempt comes exactly when it may
    assert waits == [1, 2, 4, 8, 900, 900]
    assert sleeps == [0.5] * 6
    assert throttle.failures("session:a") == 6


def test_an_attempt_is_held_back_until_the_delay_has_passed():
    clock, sleeps = Clock(), Sleeps()
    throttle = _throttle(clock, sleeps)
    throttle.failed(["session:a"])
    throttle.failed(["session:a"])
    assert throttle.wait(["session:a"]) == 2
    clock.now += 1.5
    assert throttle.wait(["session:a"]) == 0.5
    clock.now += 0.5
    assert throttle.wait(["session:a"]) == 0


def test_the_longest_wait_of_the_session_and_the_client_applies():
    clock, sleeps = Clock(), Sleeps()
    throttle = _throttle(clock, sleeps)
    for _ in range(3):
        throttle.failed(["session:a", "client:10.0.0.7"])
        clock.now += 10
    # A new session from the same address is still held back by the address.
    throttle.failed(["session:b", "client:10.0.0.7"])
    assert throttle.wait(["session:b", "client:10.0.0.7"]) == 8
    assert throttle.wait(["session:c", "client:10.0.0.8"]) == 0


def test_a_right_passcode_resets_and_so_does_a_long_quiet_spell():
    clock, sleeps = Clock(), Sleeps()
    throttle = _throttle(clock, sleeps)
    throttle.failed(["session:a"])
    throttle.failed(["session:a"])
    throttle.succeeded(["session:a"])
    assert (throttle.failures("session:a"), throttle.wait(["session:a"])) == (0, 0)
    throttle.failed(["session:b"])
    throttle.failed(["session:b"])
    clock.now += 3600
    assert throttle.failures("session:b") == 0
    assert throttle.failed(["session:b"]) == 1  # counting starts again


# --- unlock tokens and the gate ---------------------------------------------------------


def test_an_unlock_token_is_valid_only_for_its_session_hash_process_and_lifetime():
    clock = Clock(1_700_000_000)
    unlocks = Unlocks(secret=b"k" * 32, ttl_s=3600, clock=clock)
    token = unlocks.issue("session-1", "scrypt$hash-a")
    assert unlocks.valid(token, "session-1", "scrypt$hash-a") is True
    assert unlocks.valid(token, "session-2", "scrypt$hash-a") is False
    assert unlocks.valid(token, "session-1", "scrypt$hash-b") is False
    assert unlocks.valid(token, "session-1", None) is False
    assert Unlocks(secret=b"x" * 32, clock=clock).valid(token, "session-1", "scrypt$hash-a") is False
    clock.now += 3600
    assert unlocks.valid(token, "session-1", "scrypt$hash-a") is False


@pytest.mark.parametrize("forged", [True, 1, "1", "unlocked", "1700000000:", "1700000000:" + "0" * 64, None])
def test_values_that_are_not_a_token_of_this_process_do_not_unlock(forged):
    unlocks = Unlocks(clock=Clock(1_700_000_000))
    assert unlocks.valid(forged, "session-1", "scrypt$hash-a") is False


def test_gate_unlocks_with_the_right_passcode_and_slows_wrong_ones():
    clock, sleeps = Clock(), Sleeps()
    gate = Gate(_throttle(clock, sleeps), Unlocks(clock=Clock(1_700_000_000)))
    encoded = hash_passcode("correct horse", salt=SALT, **FAST)
    wrong = gate.attempt("wrong horse", encoded, "s1", "10.0.0.7")
    assert (wrong.ok, wrong.wait_s, wrong.message) == (False, 1, "口令不正确，请 1 秒后再试。")
    # Even the right passcode is not heard while the wait lasts.
    early = gate.attempt("correct horse", encoded, "s1", "10.0.0.7")
    assert (early.ok, early.message) == (False, "尝试过于频繁，请 1 秒后再试。")
    assert sleeps == [0.5]  # the early attempt was not checked, so not paused either
    clock.now += 1
    right = gate.attempt("correct horse", encoded, "s1", "10.0.0.7")
    assert right.ok and gate.allows(right.token, encoded, "s1")
    assert not gate.allows(right.token, encoded, "s2")
    assert gate.throttle.failures("session:s1") == 0


@pytest.mark.parametrize("start", [1000.0, 985.1])  # 985.1 + 15 + 900 - 1000.1 is 899.9999999999999
def test_gate_says_when_it_locks_out(start):
    clock, sleeps = Clock(start), Sleeps()
    gate = Gate(_throttle(clock, sleeps), Unlocks())
    encoded = hash_passcode("correct horse", salt=SALT, **FAST)
    messages = []
    for _ in range(5):
        attempt = gate.attempt("wrong horse", encoded, "s1", None)
        messages.append(attempt.message)
        clock.now += attempt.wait_s
    assert messages == ["口令不正确，请 1 秒后再试。", "口令不正确，请 2 秒后再试。", "口令不正确，请 4 秒后再试。",
                        "口令不正确，请 8 秒后再试。", "口令不正确。连续错误次数过多，已暂停 15 分钟。"]
    assert gate.keys("s1", None) == ("session:s1", "client:local")
