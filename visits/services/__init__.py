"""Visits' write API, one module per part of the visit's life.

Views, tasks, commands and demo.py call these; nothing outside visits does.
"""
