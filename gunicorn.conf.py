"""gunicorn settings for the portal (gunicorn reads ./gunicorn.conf.py by default; `make run` and the README's
deployment command name it too).

gunicorn writes a `Server: gunicorn` header itself, after the application has answered, and (from version 22) has
no setting to change it, so no Django middleware can remove it. Its responses take the header from
`gunicorn.http.wsgi.Response.default_headers`; this file drops it there, in the master process before the
workers are forked, so no response names the server software.
"""

from gunicorn.http import wsgi as _gunicorn_wsgi

_default_headers = _gunicorn_wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [header for header in _default_headers(self) if not header.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _default_headers_without_server
