"""A desk that echoes the request's credentials in prose (not as ``name=value``): the salt,
the signature and the key never reach the screen, the notification or the outbox's stored
last error."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
from textual.widgets import TextArea

from tui.screens.forms.compose import ComposeScreen


async def test_echoed_salt_and_signature_are_redacted_everywhere(harness: Any) -> None:
    transport = harness.add_faulty_desk("acme")
    echoed: dict[str, str] = {}

    def echo(request: httpx.Request) -> httpx.Response | None:
        if not harness.route_is(request, "POST", r"/Tickets/TicketNote$"):
            return None
        form = dict(parse_qsl(request.content.decode()))
        echoed.update(form)
        prose = (
            f"Signature {form['signature']} does not match salt {form['salt']} "
            f"for API key {form['apikey']}. Contact your administrator."
        )
        return httpx.Response(400, text=prose)

    transport.fault = echo
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        await harness.open_form(pilot, app, "n", ComposeScreen)
        app.screen.query_one(TextArea).insert("Called back, no answer.")
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot, lambda: any(n.startswith("acme:") for n in harness.notifications(app)), "fail"
        )
        await pilot.pause()
        shown = "\n".join([*harness.notifications(app), harness.screen_text(app)])
        [entry] = app.store.outbox.pending()
        stored = harness.outbox_path.read_text()
        assert "Signature *** does not match salt ***" in entry.last_error
        for name in ("signature", "salt", "apikey"):
            value = echoed[name]
            assert value not in shown, name
            assert value not in entry.last_error, name
            assert value not in stored and json.dumps(value)[1:-1] not in stored, name
