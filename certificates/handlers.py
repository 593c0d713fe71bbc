"""The one upward trigger: a credit claim in courses queues a certificate."""

from certificates import services


def on_credit_claimed(sender, claim, **kwargs) -> None:
    services.enqueue_certificate_issuing(claim=claim)
