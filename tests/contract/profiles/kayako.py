"""Kayako Classic in the contract suite: a wrong secret key fails the request signature."""

from adapters.kayako.simulator import SECRET_KEY
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"secret_key": "not-the-secret-key"},
    secret=SECRET_KEY,
    # Version takes version numbers only (the simulator checks the field's regex).
    custom_field=("Version", "2.4.1"),
    malformed=("text/xml", b"<?xml version='1.0'?><tickets><ticket><id>1</ticket></tickets>"),
)
