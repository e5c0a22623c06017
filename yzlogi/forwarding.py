"""Who a request comes from when the app sits behind a reverse proxy.

Behind nginx every request reaches the app from the proxy's address; the proxy
says who its client was in X-Forwarded-For, appending the address it saw to
whatever the request already carried. Any client can write that header, so it
is believed only when the request comes straight from a trusted proxy (the
setting trusted_proxies, default none), and then
walked from the right: each address a trusted proxy added is skipped, and the
first address that is not a trusted proxy is the client. Whatever a client
wrote to the left of that is never read.

Streamlit reports a peer of 127.0.0.1 or ::1 as no address (None); here None
means "loopback", trusted when either loopback address is.

The web server under Streamlit (uvicorn) has a proxy rule of its own: unless
FORWARDED_ALLOW_IPS is set to the empty string, it replaces a loopback peer by
what X-Forwarded-For says before the app sees it, so any local process could
pick its address. Every launcher of the app (Makefile, deploy/yzlogi.service,
the tests' harness) sets it empty; `server_rewrites_peers` tells when it was not.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACKS = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
SERVER_RULE_ENV = "FORWARDED_ALLOW_IPS"  # uvicorn's own list of proxies it believes


def parse_address(text: str) -> Address | None:
    """An address as a header or a peer writes it ("10.0.0.5", "10.0.0.5:51234",
    "[::1]:443", "::ffff:10.0.0.5"); None when it is not one ("unknown", garbage)."""
    value = text.strip().strip('"')
    if value.startswith("["):
        value = value[1:value.find("]")] if "]" in value else value
    elif value.count(":") == 1:  # IPv4 with a port; an IPv6 address has several colons
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class TrustedProxies:
    """The proxies whose X-Forwarded-For is believed, and the entries that could not be read."""

    networks: tuple[Network, ...] = ()
    invalid: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> TrustedProxies:
        """Addresses or networks separated by commas or blanks: "127.0.0.1, 10.0.0.0/24"."""
        networks, invalid = [], []
        for entry in text.replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                invalid.append(entry)
        return cls(tuple(networks), tuple(invalid))

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: Address | None) -> bool:
        """Whether `address` is a trusted proxy; None (a loopback peer) when a loopback address is."""
        if address is None:
            return any(self.trusts(loopback) for loopback in LOOPBACKS)
        return any(address.version == net.version and address in net for net in self.networks)


@lru_cache(maxsize=8)
def trusted_proxies(text: str) -> TrustedProxies:
    """The parsed setting (cached: it is read on every passcode attempt)."""
    return TrustedProxies.parse(text)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: TrustedProxies) -> str | None:
    """The client's address: the peer's, unless the peer is a trusted proxy and says otherwise.

    `peer` is the address the request came from (None: loopback, as Streamlit
    reports it); `forwarded_for` every X-Forwarded-For header of the request, in
    order. The answer is an address as text, or None for a loopback client."""
    hop = parse_address(peer) if peer is not None else None
    if peer is not None and hop is None:
        return peer  # not an address at all (a unix socket's name): nothing to walk from
    if not trusted.trusts(hop):
        return _text(hop)
    entries = [entry for header in forwarded_for for entry in header.split(",") if entry.strip()]
    for entry in reversed(entries):
        address = parse_address(entry)
        if address is None:
            break  # unreadable: the hop that passed it on is the last one known
        hop = address
        if not trusted.trusts(address):
            break
    return _text(hop)


def _text(address: Address | None) -> str | None:
    if address is None or address in LOOPBACKS:
        return None
    return str(address)


def server_rewrites_peers(environ: Mapping[str, str]) -> bool:
    """Whether the web server under Streamlit rewrites peers from X-Forwarded-For itself
    (FORWARDED_ALLOW_IPS unset or not empty), so that the peer the app sees may be forged."""
    return environ.get(SERVER_RULE_ENV) != ""
