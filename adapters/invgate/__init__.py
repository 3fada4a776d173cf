"""InvGate Service Management (ex "InvGate Service Desk"): adapter, wire mapping and a
faithful simulator of its v1 JSON API (see ``adapters/invgate/README.md``)."""
