"""Signals courses sends to the apps above it (certificates listens).

credit_claimed is sent once per claim, after the claim's transaction commits, with
sender=CreditClaim and claim=<CreditClaim>.
"""

import django.dispatch

credit_claimed = django.dispatch.Signal()
