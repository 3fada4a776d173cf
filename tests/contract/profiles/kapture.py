"""Kapture CRM in the contract suite: a wrong key is refused with "Invalid Auth Key"; the
text field to set is an additional detail (the callback time, also text, takes times only)."""

from adapters.kapture.simulator import API_KEY
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"api_key": "bm90LXRoZS1rYXB0dXJlLWtleQ=="},
    secret=API_KEY,
    custom_field=("Account code", "HB-4242"),
    malformed=("application/json", b'{"totalCount": 3, "message": [{"ticketId": "7135'),
)
