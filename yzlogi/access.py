"""Who may change data: the upload passcode, wrong-guess throttling, unlock tokens.

Viewing is open; uploading and rollback need the passcode. Only a salted hash of
it is configured (`python -m yzlogi passcode --stdin` prints one):

    scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>

scrypt (RFC 7914) with n=2**15, r=8, p=3 (one of OWASP's recommended settings:
32 MiB and about 0.3 s per check), a 16-byte random salt and a 32-byte hash.
The parameters travel inside the string, so they can be raised later without
invalidating hashes already configured. Verification compares in constant time.

The app takes the hash from the environment variable YZLOGI_PASSCODE_HASH or,
failing that, from `[upload] passcode_hash` in .streamlit/secrets.toml; with
neither, uploading and rollback are off.

A Throttle slows wrong guesses per session and per client address (growing
delays, then a lockout); an Unlocks object issues the proof of a right passcode,
an HMAC of the session id under a per-process secret, checked again at the
moment of every commit or rollback. Nothing here keeps the passcode itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from yzlogi.errors import YzlogiError

ENV_VAR = "YZLOGI_PASSCODE_HASH"
SECRETS_SECTION = "upload"
SECRETS_KEY = "passcode_hash"
SCHEME = "scrypt"

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 3
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 8  # characters; the throttle is the defence against guessing, not the length
# Bounds on parameters read from a configured hash, so a mistyped one cannot
# make each check take minutes or gigabytes.
MAX_N = 2**20
MAX_R = 32
MAX_P = 16

HOW_TO_ENABLE = (
    "上传和回滚功能尚未开启：系统管理员需要先设置上传口令。在服务器上运行 "
    "`python -m yzlogi passcode --stdin`，输入口令后回车，得到口令的哈希值；把它写入 "
    "`.streamlit/secrets.toml` 的 `[upload]` 部分（`passcode_hash = \"…\"`，格式见 "
    "`.streamlit/secrets.toml.example`），或设为环境变量 `YZLOGI_PASSCODE_HASH`，然后重启看板。"
)


class AccessError(YzlogiError):
    """A passcode or passcode hash that cannot be used; the message is Chinese."""


# --- hashing --------------------------------------------------------------------


@dataclass(frozen=True)
class PasscodeHash:
    """A parsed `scrypt$n$r$p$salt$hash` string."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def encode(self) -> str:
        return "$".join([SCHEME, str(self.n), str(self.r), str(self.p), _b64(self.salt), _b64(self.digest)])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _normalise(passcode: str) -> bytes:
    # NFC so that the same characters typed through different input methods
    # match; surrounding blanks dropped because a pasted passcode often has them.
    return unicodedata.normalize("NFC", passcode.strip()).encode("utf-8")


def _scrypt(passcode: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # hashlib needs maxmem above scrypt's 128·r·n bytes; twice that leaves room.
    return hashlib.scrypt(_normalise(passcode), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=2 * 128 * r * n + 2**20)


def check_new_passcode(passcode: str) -> None:
    """Refuse a passcode too short to be set (AccessError)."""
    if len(passcode.strip()) < MIN_LENGTH:
        raise AccessError(f"口令太短：至少需要 {MIN_LENGTH} 个字符（首尾空格不计）。")


def hash_passcode(passcode: str, *, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
                  p: int = SCRYPT_P) -> str:
    """The salted scrypt hash of a new passcode, as `scrypt$n$r$p$salt$hash`."""
    check_new_passcode(passcode)
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    _check_parameters(n, r, p)
    return PasscodeHash(n, r, p, salt, _scrypt(passcode, salt, n, r, p, HASH_BYTES)).encode()


def parse_hash(encoded: str) -> PasscodeHash:
    """A configured hash string taken apart and checked (AccessError when malformed)."""
    parts = encoded.strip().split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != SCHEME:
        raise AccessError("配置的口令哈希格式不正确：应为 python -m yzlogi passcode 输出的 scrypt$… 字符串。")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        raise AccessError("配置的口令哈希无法解析：参数或编码有误，请重新生成。") from None
    _check_parameters(n, r, p)
    if len(salt) < 8 or len(digest) < 16:
        raise AccessError("配置的口令哈希过短，请用 python -m yzlogi passcode 重新生成。")
    return PasscodeHash(n, r, p, salt, digest)


def _check_parameters(n: int, r: int, p: int) -> None:
    if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise AccessError(f"口令哈希的 scrypt 参数超出允许范围（n 为 2 的幂且不超过 {MAX_N}，"
                          f"r ≤ {MAX_R}，p ≤ {MAX_P}）。")


def verify_passcode(passcode: str, encoded: str) -> bool:
    """Whether `passcode` matches the configured hash; the final comparison is constant-time."""
    stored = parse_hash(encoded)
    computed = _scrypt(passcode, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(computed, stored.digest)


def configured_hash(environ: Mapping[str, str], secrets_data: Mapping | None) -> str | None:
    """The configured passcode hash: the environment variable wins over secrets.toml."""
    from_env = (environ.get(ENV_VAR) or "").strip()
    if from_env:
        return from_env
    section = secrets_data.get(SECRETS_SECTION) if secrets_data is not None else None
    value = section.get(SECRETS_KEY) if isinstance(section, Mapping) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- throttling wrong guesses ---------------------------------------------------------


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0  # clock time of the last failure
    until: float = 0.0  # no attempt is heard before this clock time


class Throttle:
    """Slows wrong passcodes down, per key (a session, a client address).

    After the k-th wrong passcode in a row, the next attempt is refused unheard
    for base_s · 2^(k−1) seconds (capped at max_s); from the lockout_after-th
    on, for lockout_s. A wrong answer also pauses its own reply (pause_s), so
    even the first guesses cost time. A right passcode clears the keys' counts;
    so does forget_after_s without failures. `clock` and `sleep` are injectable
    so that tests neither wait nor depend on timing. Thread-safe; per process."""

    MAX_KEYS = 10_000  # beyond this, records that no longer hold anyone back are dropped

    def __init__(self, *, base_s: float = 1.0, max_s: float = 60.0, lockout_after: int = 5,
                 lockout_s: float = 900.0, forget_after_s: float = 3600.0, pause_s: float = 0.5,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.base_s, self.max_s = base_s, max_s
        self.lockout_after, self.lockout_s = lockout_after, lockout_s
        self.forget_after_s, self.pause_s = forget_after_s, pause_s
        self.clock, self.sleep = clock, sleep
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def delay_after(self, failures: int) -> float:
        """How long attempts are refused after `failures` wrong passcodes in a row."""
        if failures <= 0:
            return 0.0
        if failures >= self.lockout_after:
            return self.lockout_s
        return min(self.base_s * 2 ** (failures - 1), self.max_s)

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds before an attempt from these keys is heard (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [self._live(key, now).until - now for key in keys if key in self._records]
        return max([0.0, *waits])

    def failures(self, key: str) -> int:
        """Wrong passcodes in a row recorded for a key."""
        with self._lock:
            return self._live(key, self.clock()).failures if key in self._records else 0

    def failed(self, keys: Iterable[str]) -> float:
        """Record a wrong passcode for every key; pause; the wait it now imposes."""
        now = self.clock()
        with self._lock:
            self._prune(now)
            waits = []
            for key in keys:
                if key not in self._records:
                    self._records[key] = _Record()
                record = self._live(key, now)
                record.failures += 1
                record.last = now
                record.until = now + self.delay_after(record.failures)
                waits.append(record.until - now)
        if self.pause_s > 0:
            self.sleep(self.pause_s)
        return max(waits, default=0.0)

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right passcode: forget these keys' failures."""
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def _live(self, key: str, now: float) -> _Record:
        record = self._records[key]
        if record.failures and now >= record.until and now - record.last >= self.forget_after_s:
            record.failures = 0
        return record

    def _prune(self, now: float) -> None:
        if len(self._records) < self.MAX_KEYS:
            return
        for key in [k for k, r in self._records.items() if now >= r.until and now - r.last >= self.forget_after_s]:
            del self._records[key]


# --- unlocking --------------------------------------------------------------------


UNLOCK_TTL_S = 4 * 3600  # an unlock lasts a working session, not forever


class Unlocks:
    """Proofs that a session gave the right passcode: `<issued>:<HMAC>`.

    The HMAC (SHA-256, a random per-process secret) covers the session id, the
    time of issue and the configured hash, so a token is worthless in another
    session, after `ttl_s`, after the passcode hash changes, or after a restart;
    and it cannot be made without the secret, which never leaves the process."""

    def __init__(self, secret: bytes | None = None, ttl_s: float = UNLOCK_TTL_S,
                 clock: Callable[[], float] = time.time):
        self._secret = secret if secret is not None else secrets.token_bytes(32)
        self.ttl_s = ttl_s
        self.clock = clock

    def _mac(self, session: str, issued: int, passcode_hash: str) -> str:
        message = "\x00".join([session, str(issued), passcode_hash]).encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def issue(self, session: str, passcode_hash: str) -> str:
        issued = int(self.clock())
        return f"{issued}:{self._mac(session, issued, passcode_hash)}"

    def valid(self, token: object, session: str, passcode_hash: str | None) -> bool:
        if not (isinstance(token, str) and passcode_hash and session):
            return False
        issued_text, _, mac = token.partition(":")
        if not issued_text.isdigit():
            return False
        issued = int(issued_text)
        if not 0 <= self.clock() - issued < self.ttl_s:
            return False
        return hmac.compare_digest(mac, self._mac(session, issued, passcode_hash))


# --- the gate ---------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """The answer to one passcode attempt: a token when right, else a wait and a message."""

    token: str | None
    wait_s: float
    message: str

    @property
    def ok(self) -> bool:
        return self.token is not None


def _seconds(wait_s: float) -> str:
    seconds = max(1, math.ceil(wait_s))
    return f"{seconds} 秒" if seconds < 120 else f"{math.ceil(seconds / 60)} 分钟"


class Gate:
    """The passcode check as the app uses it: throttle, verify, issue and check unlocks."""

    def __init__(self, throttle: Throttle | None = None, unlocks: Unlocks | None = None):
        self.throttle = throttle if throttle is not None else Throttle()
        self.unlocks = unlocks if unlocks is not None else Unlocks()

    @staticmethod
    def keys(session: str, client: str | None) -> tuple[str, ...]:
        """The throttle keys of an attempt: its session and its client address."""
        return (f"session:{session}", f"client:{client or 'local'}")

    def attempt(self, passcode: str, passcode_hash: str, session: str, client: str | None) -> Attempt:
        """Check a passcode unless the throttle holds this session or client back."""
        keys = self.keys(session, client)
        wait = self.throttle.wait(keys)
        if wait > 0:
            return Attempt(None, wait, f"尝试过于频繁，请 {_seconds(wait)}后再试。")
        if verify_passcode(passcode, passcode_hash):
            self.throttle.succeeded(keys)
            return Attempt(self.unlocks.issue(session, passcode_hash), 0.0, "口令正确，已解锁上传和回滚。")
        wait = self.throttle.failed(keys)
        # By the count, not the wait: (now + lockout_s) - now is not always lockout_s in floating point.
        if max(self.throttle.failures(key) for key in keys) >= self.throttle.lockout_after:
            return Attempt(None, wait, f"口令不正确。连续错误次数过多，已暂停 {_seconds(wait)}。")
        return Attempt(None, wait, f"口令不正确，请 {_seconds(wait)}后再试。")

    def allows(self, token: object, passcode_hash: str | None, session: str) -> bool:
        """Whether `token` proves this session unlocked under the configured hash, now."""
        return self.unlocks.valid(token, session, passcode_hash)
