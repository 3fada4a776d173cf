"""InvGate Service Management in the contract suite: a wrong password fails Basic auth."""

from adapters.invgate.simulator import PASSWORD
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"password": "not-the-password"},
    secret=PASSWORD,
    malformed=("application/json", b'{"id": 1, "title": "trunc'),
)
