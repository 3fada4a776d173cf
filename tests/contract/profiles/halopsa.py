"""HaloPSA in the contract suite: a wrong client secret is refused at the token endpoint."""

from adapters.halopsa.simulator import CLIENT_SECRET
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"client_secret": "not-the-client-secret"},
    secret=CLIENT_SECRET,
    custom_field=("Asset Tag", "HL-42424"),
    malformed=("application/json", b'{"page_no": 1, "tickets": [{"id": 2001, '),
)
