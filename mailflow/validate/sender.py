"""Is the sender who they say they are: the verdict of our own receiving
server, read from its Authentication-Results header (RFC 8601).

Only headers whose authserv-id is in ``trusted_authserv_ids`` count: anyone
can write such a header into a message, only our server's is worth
believing. The topmost trusted one is read (the last hop adds its header on
top). DMARC decides when it was evaluated; otherwise a DKIM or SPF pass will
do.
"""

from __future__ import annotations

from mailflow.extract.types import ExtractedOrder
from mailflow.mail.authresults import evaluate
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.report import report


def check_sender(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    trusted = context.settings.trusted_authserv_ids
    if not trusted:
        return []
    domain = context.sender.rpartition("@")[2]
    verdict = evaluate(context.authentication_results, trusted=trusted, from_domain=domain)
    if verdict.verified is True:
        return []
    if verdict.verified is None:
        if not context.settings.require_authentication:
            return []
        return [report("sender_unverified", context, field="sender", variant="missing")]
    return [report("sender_unverified", context, field="sender", results=verdict.reason)]
