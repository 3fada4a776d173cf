"""Files customers attach: screenshots, client logs, invoices, error reports.

Attachments stay tiny but are real files of their type (a valid PNG, a PDF skeleton, a
log with timestamps), so a client that previews or saves them meets real content.
"""

from __future__ import annotations

import random
import time

from adapters.simdata.conversation import OSES, VERSIONS, invoice_number

# A 1x1 transparent PNG.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
PDF_SKELETON = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)
FAKE_EXECUTABLE = b"MZ\x90\x00 this is not really an executable\n"


def sample_attachment(
    rng: random.Random, *, item_id: int, reference: str, created: int
) -> tuple[str, str, bytes]:
    """(file name, MIME type, content) of a file attached to ticket ``item_id`` (shown
    to people as ``reference``), opened at ``created``."""
    kind = rng.randrange(4)
    if kind == 0:
        return "screenshot.png", "image/png", PNG_1X1
    if kind == 1:
        lines = []
        for step in range(rng.randrange(8, 30)):
            moment = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(created + step * 7))
            level = rng.choice(("INFO", "INFO", "WARN", "ERROR"))
            lines.append(
                f"{moment} [{level}] session={rng.randrange(10**6):06d} "
                f"{rng.choice(('connect', 'rekey', 'auth ok', 'timeout', 'retry'))}"
            )
        return "client.log", "text/plain", ("\n".join(lines) + "\n").encode()
    if kind == 2:
        return f"{invoice_number(item_id)}.pdf", "application/pdf", PDF_SKELETON
    text = (
        f"Error report for {reference}\nOS: {rng.choice(OSES)}\n"
        f"Version: {rng.choice(VERSIONS)}\nCode: 0x{rng.randrange(16**8):08X}\n"
    )
    return "error-report.txt", "text/plain", text.encode()
