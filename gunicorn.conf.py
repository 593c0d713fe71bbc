"""gunicorn settings that travel with the code (gunicorn reads ./gunicorn.conf.py by
itself, so `gunicorn config.wsgi` in production gets them too; the Procfile names it).

The access log goes through config.log_redaction: calendar-feed secrets, guest links,
reset keys and every query-string value (search terms) are written as [redacted].
"""

logger_class = "config.log_redaction.RedactingGunicornLogger"
