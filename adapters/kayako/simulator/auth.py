"""Controller_api's authentication: the API key, the salt and the signature.

Every request carries ``apikey``, ``salt`` and ``signature = base64(HMAC-SHA256(secret,
salt))``; where they travel depends on the verb (query for GET/DELETE, form body for
POST/PUT, a JSON body is read for authentication only). The failures are answered before
any controller runs, so they are ``text/html`` (see :mod:`adapters.kayako.simulator.server`).
The simulator's own credentials are published demo values that open nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from adapters.kayako.simulator.php import PhpValue, php_form
from adapters.simulation import SimRequest

# The simulator's own published demo credentials (they open nothing but this simulator).
API_KEY = "6c2b8f0e-4a1d-4e7b-9f3c-2d5a8e1b7c40"
SECRET_KEY = (
    "M2Y5ZDZjMWEtOGIzZS00YzVkLWE3ZjAtOTFlMmI0YzZkOGFh"
    "NWU3YTNiOWMtMWQyZi00ZTZhLWI4YzAtZDNmNWE3ZTliMWMy"
)
# Priya Raman, a Tier 1 support engineer who works the General and Technical queues.
DEMO_STAFF_ID = 2

XML_TYPE = "text/xml;charset=UTF-8"
HTML_TYPE = "text/html; charset=UTF-8"


def expected_signature(salt: str, secret: str = SECRET_KEY) -> str:
    """base64(HMAC-SHA256(key=secret, message=salt)), the request signature."""
    digest = hmac.new(secret.encode("utf-8"), salt.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def request_variables(request: SimRequest) -> tuple[dict[str, PhpValue], dict[str, PhpValue]]:
    """(variables the authentication reads, ``$_POST`` the controllers read)."""
    if request.content_type == "application/json":
        try:
            decoded = request.json()
        except ValueError:
            decoded = None
        variables: dict[str, PhpValue] = {}
        if isinstance(decoded, dict):
            variables = {str(k): v if isinstance(v, str) else str(v) for k, v in decoded.items()}
        return variables, {}
    if request.method in ("GET", "DELETE"):
        return php_form(request.query), {}
    if request.method == "POST":
        post = php_form(request.form())
        if post:
            return post, post
        # $_POST is empty (no form content type): PHP parses the raw body for auth.
        return php_form(request.urlencoded_body()), {}
    put = php_form(request.urlencoded_body())
    return put, put


def authenticate(variables: Mapping[str, PhpValue]) -> bool:
    """Whether the key and the signature of the salt are the simulator's."""
    apikey, signature, salt = (variables.get(k) for k in ("apikey", "signature", "salt"))
    if not isinstance(apikey, str) or not isinstance(salt, str):
        return False
    if not hmac.compare_digest(apikey.encode(), API_KEY.encode()):
        return False
    received = signature.replace(" ", "+") if isinstance(signature, str) else ""
    return hmac.compare_digest(received.encode(), expected_signature(salt).encode())
