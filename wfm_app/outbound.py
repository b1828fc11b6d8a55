"""Outbound HTTP made on a user's behalf (webhooks; later, integrations): only to public
addresses, or to networks the operator allows with ``WFM_WEBHOOK_ALLOW_NETWORKS``.

The host is resolved when the request is sent and every address it resolves to is
checked; the connection then goes to the address that was checked (the URL's host is
replaced by it, the name travels in ``Host`` and, for HTTPS, as the TLS server name), so
a DNS answer cannot change between the check and the connect. Redirects are not followed,
no proxy from the environment is used, and connections are not kept alive (a pooled
connection is keyed by address, not by the name it was opened for).

Nothing a receiver answers is kept: an attempt is its status code, its duration and an
error class. URLs are shown with their query values masked.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from wfm_app.settings import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
MASK = "********"
# httpx logs every request's whole URL at INFO: query strings carry tokens. Ours are
# logged masked, by the caller.
logging.getLogger("httpx").setLevel(logging.WARNING)
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """The request may not be made: ``error_class`` says why in one word, the message in a
    sentence (never anything a remote server said)."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request's outcome, as it is recorded: no body, no headers of the answer."""

    status_code: int | None
    duration_ms: int
    error_class: str | None  # None: a 2xx answer
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.error_class is None


@cache
def _allowed(spec: str) -> tuple[IPNetwork, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    )


def allowed_networks() -> tuple[IPNetwork, ...]:
    return _allowed(settings.webhook_allow_networks)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, NAT64, 6to4, Teredo's client)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def _why_not_public(address: IPAddress) -> str | None:
    """What kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return _why_not_public(inner)
    kinds = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, kind in kinds:
        if getattr(address, attribute):
            return kind
    if not address.is_global:  # shared address space (100.64.0.0/10) and the like
        return "a non-public address"
    return None


def refusal(address: IPAddress) -> str | None:
    """Why a request may not go to ``address`` (None: it may)."""
    forms: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        forms.append(address.ipv4_mapped)
    if any(form in network for form in forms for network in allowed_networks()):
        return None
    return _why_not_public(address)


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host spells literally, in any of the forms a resolver accepts
    (``127.0.0.1``, ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``[::1]``), or None for a
    name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton reads the decimal, octal, hex and short forms of IPv4
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _is_local_name(host: str) -> bool:
    """RFC 6761: localhost and every name under it are loopback."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def check_url(url: str) -> None:
    """Refuse what can be told without asking DNS: user info in the URL (secrets go in
    headers), a literal non-public address, ``localhost``. Raises Refused."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused(
            "invalid_url",
            "The URL may not hold a user name or password: use the webhook secret instead.",
        )
    try:
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        raise Refused("invalid_url", "The port must be a number from 0 to 65535.") from None
    host = parts.hostname or ""
    # "localhost" names this machine whatever a resolver says: judged as its address.
    address = ipaddress.IPv4Address("127.0.0.1") if _is_local_name(host) else literal_address(host)
    reason = refusal(address) if address is not None else None
    if reason:
        raise Refused(
            "refused_address",
            f"{host} is {reason}; the operator may allow it with WFM_WEBHOOK_ALLOW_NETWORKS.",
        )


def resolve(host: str, port: int) -> str:
    """The address to connect to: every address ``host`` resolves to must be allowed (a
    name that answers with one public and one private address is refused)."""
    try:
        answers = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused("dns", "The receiver's host name could not be resolved.") from None
    addresses = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise Refused(
                "refused_address",
                f"The receiver's host resolves to {reason}; the operator may allow its "
                "network with WFM_WEBHOOK_ALLOW_NETWORKS.",
            )
    if not addresses:
        raise Refused("dns", "The receiver's host name could not be resolved.")
    return str(addresses[0])


def client(timeout_seconds: float) -> httpx.Client:
    return httpx.Client(
        timeout=timeout_seconds,
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def _classify(error: httpx.HTTPError) -> tuple[str, str]:
    if isinstance(error, httpx.TimeoutException):
        return "timeout", "The receiver did not answer in time."
    if isinstance(error, httpx.ConnectError) and "SSL" in str(error).upper():
        return "tls", "The TLS handshake with the receiver failed."
    if isinstance(error, httpx.ConnectError | httpx.NetworkError):
        return "connection", "The connection to the receiver failed."
    return "protocol", "The receiver's answer was not valid HTTP."


def send(
    http: httpx.Client, method: str, url: str, *, content: str, headers: dict[str, str]
) -> Attempt:
    """``method`` (POST, PATCH) to ``url`` at a checked address; the outcome without
    anything the receiver said."""
    started = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        check_url(url)
        target = httpx.URL(url)
        port = target.port or _DEFAULT_PORTS.get(target.scheme, 80)
        address = resolve(target.host, port)
    except Refused as refused:
        return Attempt(None, took(), refused.error_class, refused.message)
    except httpx.InvalidURL:
        return Attempt(None, took(), "invalid_url", "The URL is not valid.")
    pinned = target.copy_with(host=address)
    host_header = target.host if target.port is None else f"{target.host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        # Streamed and closed unread: the answer's body is never read, let alone kept.
        with http.stream(
            method,
            pinned,
            content=content,
            headers={**headers, "host": host_header},
            extensions=extensions,
        ) as response:
            status = response.status_code
    except httpx.HTTPError as error:
        error_class, message = _classify(error)
        return Attempt(None, took(), error_class, message)
    if 200 <= status < 300:
        return Attempt(status, took(), None, None)
    return Attempt(status, took(), "http_status", f"The receiver answered HTTP {status}.")


def masked_url(url: str) -> str:
    """The URL as the UI, the API and logs show it: query values and any user info hidden."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = urlencode(
        [(key, MASK) for key, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*"
    )
    if parts.query and not query:
        query = MASK
    fragment = MASK if parts.fragment else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))
