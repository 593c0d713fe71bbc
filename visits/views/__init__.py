"""Visits' views, thin: parse, ask visits.access, call one service, render."""
