"""Which of our replies a bounce returns: the Message-IDs of ours that a
delivery-status notification quotes (in its returned headers or text)."""

from __future__ import annotations

import re

from mailflow.mail.envelope import Envelope

_OURS = r"<ORD-[23456789A-HJ-NP-Z]{8}\.[0-9a-f]+@%s>"


def bounced_message_ids(envelope: Envelope, *, domain: str) -> list[str]:
    """Our Message-IDs found anywhere in the bounce, in order, once each."""
    pattern = re.compile(_OURS % re.escape(domain), re.IGNORECASE)
    texts = [envelope.text, *(a.payload.decode("latin-1") for a in envelope.attachments)]
    found = [match for text in texts for match in pattern.findall(text)]
    return list(dict.fromkeys(found))
