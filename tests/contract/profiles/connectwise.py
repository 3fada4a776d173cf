"""ConnectWise PSA in the contract suite: a wrong private key fails Basic authentication."""

from adapters.connectwise.simulator import PRIVATE_KEY
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"private_key": "not-the-private-key"},
    secret=PRIVATE_KEY,
    # "Outage ID" is a plain text field.
    custom_field=("Outage ID", "OUT-424242"),
    malformed=("application/json", b'[{"id": 250101, "summary": "cut sh'),
)
