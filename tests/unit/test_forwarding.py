"""Whose address the passcode throttle counts behind a reverse proxy: X-Forwarded-For
is read only when the request comes straight from a trusted proxy, and then from the
right, so that nothing a client wrote itself is believed."""

from __future__ import annotations

import ipaddress

import pytest

from yzlogi.forwarding import TrustedProxies, client_address, parse_address, server_rewrites_peers, trusted_proxies

NGINX_HERE = TrustedProxies.parse("127.0.0.1")
NONE = TrustedProxies.parse("")


@pytest.mark.parametrize("text, expected", [
    ("10.0.0.5", "10.0.0.5"), (" 10.0.0.5 ", "10.0.0.5"), ("10.0.0.5:51234", "10.0.0.5"),
    ("[2001:db8::7]:443", "2001:db8::7"), ("2001:db8::7", "2001:db8::7"), ("::ffff:10.0.0.5", "10.0.0.5"),
    ('"10.0.0.5"', "10.0.0.5"), ("unknown", None), ("", None), ("10.0.0.256", None), ("[::1", None),
])
def test_addresses_are_read_as_headers_and_peers_write_them(text, expected):
    found = parse_address(text)
    assert (str(found) if found is not None else None) == expected


def test_the_setting_takes_addresses_and_networks_and_names_what_it_cannot_read():
    parsed = TrustedProxies.parse("127.0.0.1, 10.0.0.0/24  ::1,nginx 10.1.2.3/33")
    assert [str(n) for n in parsed.networks] == ["127.0.0.1/32", "10.0.0.0/24", "::1/128"]
    assert parsed.invalid == ("nginx", "10.1.2.3/33")
    assert bool(parsed) and not bool(NONE)
    assert parsed.trusts(ipaddress.ip_address("10.0.0.200")) and not parsed.trusts(ipaddress.ip_address("10.0.1.1"))
    assert parsed.trusts(None)  # a loopback peer, as Streamlit reports it
    assert not TrustedProxies.parse("10.0.0.0/8").trusts(None)
    assert TrustedProxies.parse("::1").trusts(None)
    assert trusted_proxies("127.0.0.1") is trusted_proxies("127.0.0.1")  # parsed once per text


@pytest.mark.parametrize("peer, headers, expected", [
    # Straight from a client: its own address, whatever it says.
    ("10.0.0.5", [], "10.0.0.5"),
    ("10.0.0.5", ["127.0.0.1"], "10.0.0.5"),
    ("10.0.0.5", ["10.9.9.9"], "10.0.0.5"),
    # Through nginx on this machine (Streamlit reports the loopback peer as None): the address nginx added.
    (None, ["10.0.0.5"], "10.0.0.5"),
    (None, ["10.0.0.5", "10.0.0.6"], "10.0.0.6"),  # two headers read as one list
    # A client that wrote the header itself: nginx appended the real address, which is what counts.
    (None, ["10.9.9.9, 10.0.0.5"], "10.0.0.5"),
    (None, ["127.0.0.1, 10.0.0.5"], "10.0.0.5"),
    # A client on the proxy's own machine (or nothing forwarded): local.
    (None, ["127.0.0.1"], None),
    (None, [], None),
    # An unreadable entry ends the walk at the hop that passed it on.
    (None, ["garbage"], None),
    (None, ["10.9.9.9, unknown, 127.0.0.1"], None),
])
def test_only_a_trusted_peer_is_believed_and_only_what_it_added(peer, headers, expected):
    assert client_address(peer, headers, NGINX_HERE) == expected


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_address_that_is_not_one():
    chain = TrustedProxies.parse("127.0.0.1, 10.0.0.0/24")  # nginx here, the intranet's proxies before it
    assert client_address(None, ["172.16.3.4, 10.0.0.9"], chain) == "172.16.3.4"
    assert client_address(None, ["6.6.6.6, 172.16.3.4, 10.0.0.9"], chain) == "172.16.3.4"
    assert client_address("10.0.0.9", ["172.16.3.4"], chain) == "172.16.3.4"
    assert client_address(None, ["10.0.0.8, 10.0.0.9"], chain) == "10.0.0.8"  # all proxies: the leftmost


def test_with_no_trusted_proxy_the_header_is_never_read():
    assert client_address(None, ["10.0.0.5"], NONE) is None
    assert client_address("10.0.0.5", ["10.0.0.6"], NONE) == "10.0.0.5"
    assert client_address("127.0.0.5", ["10.0.0.6"], NONE) == "127.0.0.5"
    assert client_address("::ffff:10.0.0.5", [], NONE) == "10.0.0.5"


def test_the_web_servers_own_proxy_rule_is_off_only_when_its_variable_is_empty():
    assert server_rewrites_peers({}) is True
    assert server_rewrites_peers({"FORWARDED_ALLOW_IPS": "127.0.0.1"}) is True
    assert server_rewrites_peers({"FORWARDED_ALLOW_IPS": ""}) is False
