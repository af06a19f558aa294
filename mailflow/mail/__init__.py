"""Mail connectors and MIME: sources, senders, parsing, threads, loops."""
