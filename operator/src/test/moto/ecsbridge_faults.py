"""Fault injection for ecs-bridge's tests: make chosen AWS operations fail the way real AWS fails, then heal.

A WSGI middleware in front of moto's app. Rules are set and cleared over HTTP on the moto server itself:

    POST   /ecsbridge/faults   {"operation": "CreateRepository", "code": "AccessDeniedException",
                                "message": "...", "status": 400, "times": 3, "after": false}
    DELETE /ecsbridge/faults   clears every rule (so does POST /moto-api/reset)
    GET    /ecsbridge/faults   the rules still armed, with how often each has fired

- `operation`: the operation name: for the JSON protocol the part of X-Amz-Target after the dot (ECS, ECR,
  Application Auto Scaling), for the Query protocol the form's Action (STS); the error is answered in that
  protocol's shape. Required.
- `code` / `message` / `status`: the error returned, in AWS's JSON error shape ({"__type": code, "message": ...});
  default InternalFailure / "injected fault" / 500.
- `times`: how many calls fail (default: every call until cleared).
- `after`: true lets moto carry out the call first and only then answers with the error: a reply lost after AWS did
  the work (a create that happened although the caller saw a failure).
"""
import io
import json
import threading
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

_lock = threading.Lock()
_rules = []


def clear():
    with _lock:
        _rules.clear()


def _target_operation(environ):
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return target.rsplit(".", 1)[-1] if target else None


def _query_action(environ):
    """The Action of a Query-protocol call (a form POST, e.g. STS); the body is put back for moto."""
    if "x-www-form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    actions = parse_qs(body.decode("utf-8", "replace")).get("Action")
    return actions[0] if actions else None


def _query_error(start_response, rule):
    status = int(rule.get("status") or 500)
    code = rule.get("code") or "InternalFailure"
    kind = "Sender" if status < 500 else "Receiver"
    data = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>{kind}</Type>'
            f'<Code>{escape(code)}</Code><Message>{escape(rule.get("message") or "injected fault")}</Message>'
            f'</Error><RequestId>ecsbridge-fault</RequestId></ErrorResponse>').encode()
    start_response(f"{status} Error", [("Content-Type", "text/xml"), ("Content-Length", str(len(data)))])
    return [data]


def _take(operation):
    """The rule that fires for this call, counting it; None when no rule applies."""
    with _lock:
        for rule in _rules:
            if rule["operation"] != operation:
                continue
            if rule["times"] is not None and rule["fired"] >= rule["times"]:
                continue
            rule["fired"] += 1
            return dict(rule)
    return None


def _json(start_response, status, body):
    data = json.dumps(body).encode()
    start_response(f"{status} {'OK' if status < 300 else 'Error'}",
                   [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(data)))])
    return [data]


def _error(start_response, rule):
    status = int(rule.get("status") or 500)
    body = {"__type": rule.get("code") or "InternalFailure", "message": rule.get("message") or "injected fault"}
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(data))),
               ("x-amzn-ErrorType", body["__type"])]
    start_response(f"{status} Error", headers)
    return [data]


class FaultInjector:
    """Wraps a WSGI app: /ecsbridge/faults manages the rules, other calls may fail as a rule says."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/ecsbridge/faults":
            return self._control(environ, start_response, method)
        if path == "/moto-api/reset" and method == "POST":
            clear()
        operation = _target_operation(environ)
        query = False
        if operation is None:
            operation = _query_action(environ)
            query = operation is not None
        rule = _take(operation) if operation else None
        if rule is None:
            return self.app(environ, start_response)
        if rule.get("after"):
            # let moto do the work, throw its answer away
            result = self.app(environ, lambda *args, **kwargs: (lambda _data: None))
            for _ in result:
                pass
            if hasattr(result, "close"):
                result.close()
        return _query_error(start_response, rule) if query else _error(start_response, rule)

    def _control(self, environ, start_response, method):
        if method == "DELETE":
            clear()
            return _json(start_response, 200, {"rules": []})
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not body.get("operation"):
                return _json(start_response, 400, {"message": "operation is required"})
            rule = {"operation": body["operation"], "code": body.get("code"), "message": body.get("message"),
                    "status": body.get("status"), "times": body.get("times"), "after": bool(body.get("after")),
                    "fired": 0}
            with _lock:
                _rules.append(rule)
            return _json(start_response, 200, rule)
        with _lock:
            return _json(start_response, 200, {"rules": [dict(r) for r in _rules]})
