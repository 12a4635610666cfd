"""Email addresses: validated and normalised for storage, canonical for finding duplicates."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

# Providers whose addresses ignore dots in the local part, and their alias domains.
DOTLESS_PROVIDERS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
PROVIDER_ALIASES = {"googlemail.com": "gmail.com"}


class InvalidEmail(ValueError):
    """Not an address we can mail."""


def normalise_email(address: str) -> str:
    """The address as stored: syntax checked, whole address lower-cased."""
    if any(char in address for char in "\r\n\x00"):
        raise InvalidEmail("An email address cannot contain line breaks.")
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error
    return checked.normalized.lower()


def canonical_email(address: str) -> str:
    """One form per mailbox: `+tag` removed, provider aliases folded, Gmail dots dropped."""
    local, _, domain = normalise_email(address).rpartition("@")
    # "+tag" is a sub-address; a local part that starts with "+" is a mailbox of its own.
    local = local.split("+", 1)[0] or local
    domain = PROVIDER_ALIASES.get(domain, domain)
    if domain in DOTLESS_PROVIDERS:
        local = local.replace(".", "")
    return f"{local}@{domain}"
