"""Email addresses, one set of rules for every feature: validated and normalised for storage,
ASCII for a mail's envelope, canonical for finding the same mailbox twice."""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, ValidatedEmail, validate_email

# Providers whose addresses ignore dots in the local part, and their alias domains.
DOTLESS_PROVIDERS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
PROVIDER_ALIASES = {"googlemail.com": "gmail.com"}


class InvalidEmail(ValueError):
    """Not an address we can mail."""


# email_validator is pure Python: about 0.2 ms an address on this project's machines. A
# request checks the address it was sent four or five times (form, storage, canonical form,
# suppression list, mail guard), and a digest chunk checks each subscriber's when it is queued
# and again when it is sent: the answers for the addresses seen last are kept per process.
CHECKED_CACHE_SIZE = 8192


def _checked(address: str) -> ValidatedEmail:
    if any(char in address for char in "\r\n\x00"):
        raise InvalidEmail("An email address cannot contain line breaks.")
    try:
        return _validated(address.strip())
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error


@lru_cache(maxsize=CHECKED_CACHE_SIZE)
def _validated(address: str) -> ValidatedEmail:
    """The validator's answer (an error is raised each time, never kept). Callers only read it."""
    return validate_email(address, check_deliverability=False)


def normalise_email(address: str) -> str:
    """The address as stored: syntax checked, whole address lower-cased."""
    return _checked(address).normalized.lower()


def canonical_email(address: str) -> str:
    """One form per mailbox: `+tag` removed, provider aliases folded, Gmail dots dropped."""
    local, _, domain = normalise_email(address).rpartition("@")
    # "+tag" is a sub-address; a local part that starts with "+" is a mailbox of its own.
    local = local.split("+", 1)[0] or local
    domain = PROVIDER_ALIASES.get(domain, domain)
    if domain in DOTLESS_PROVIDERS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def mailable_address(address: str) -> str:
    """The address as stored and mailed: checked, lower-cased, ASCII (IDN domains as punycode)."""
    checked = _checked(address)
    if checked.ascii_email is None:
        raise InvalidEmail("Addresses with non-Latin letters before the @ are not supported yet.")
    return checked.ascii_email.lower()


def folded_address(address: str) -> str:
    """*address* only trimmed and lower-cased, not checked: how an address another system
    reports (a bounce report, a row we hold already, however odd) is compared with ours."""
    return address.strip().lower()


def matching_key(address: str) -> str:
    """The canonical form of *address*, or the address itself lower-cased when it is one we
    hold already, however odd: what a stored `email_canonical` is compared with."""
    try:
        return canonical_email(address)
    except InvalidEmail:
        return folded_address(address)
