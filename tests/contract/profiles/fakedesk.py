"""The test vendor in the contract suite: a wrong client secret is refused at the token
endpoint."""

from tests.contract.fakedesk.simulator import CLIENT_SECRET
from tests.contract.profile import ContractProfile

PROFILE = ContractProfile(
    bad_credentials={"client_secret": "not-the-client-secret"},
    secret=CLIENT_SECRET,
    malformed=("application/json", b'{"tickets": [{"id": 1, '),
)
