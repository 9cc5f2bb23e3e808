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
- `roleArn` (optional): the rule fires only for calls whose RoleArn parameter is this ARN (STS AssumeRole): one
  AwsAccount's role can be made un-assumable while another's still works.
- `account` (optional): the rule fires only for calls made by this account id, the account moto serves the call in
  (as moto derives it: MOTO_ACCOUNT_ID, else the x-moto-account-id header, else the account of the request's access
  key: AssumeRole'd credentials belong to the role's account, any other key to 123456789012).
  With both, both must match (e.g. AssumeRole of one role by one caller).
"""
import io
import json
import os
import re
import threading
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

_lock = threading.Lock()
_rules = []
CREDENTIAL = re.compile(r"Credential=([^/,\s&]+)/")


def clear():
    with _lock:
        _rules.clear()


def _target_operation(environ):
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return target.rsplit(".", 1)[-1] if target else None


def _query_form(environ):
    """The form of a Query-protocol call (a form POST, e.g. STS), {} for another call; the body is put back for moto."""
    if "x-www-form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return {}
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _access_key(environ):
    """The access key id of a SigV4-signed call (header or presigned query), else None."""
    match = CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", "")) or CREDENTIAL.search(
        unquote(environ.get("QUERY_STRING", "")))
    return match.group(1) if match else None


def calling_account(environ):
    """The account moto serves this call in: moto's BaseResponse.get_current_account, from the WSGI environ."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        return environ["HTTP_X_MOTO_ACCOUNT_ID"]
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from
    key = _access_key(environ)
    return get_account_id_from(key) if key else DEFAULT_ACCOUNT_ID


def _query_error(start_response, rule):
    status = int(rule.get("status") or 500)
    code = rule.get("code") or "InternalFailure"
    kind = "Sender" if status < 500 else "Receiver"
    data = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>{kind}</Type>'
            f'<Code>{escape(code)}</Code><Message>{escape(rule.get("message") or "injected fault")}</Message>'
            f'</Error><RequestId>ecsbridge-fault</RequestId></ErrorResponse>').encode()
    start_response(f"{status} Error", [("Content-Type", "text/xml"), ("Content-Length", str(len(data)))])
    return [data]


def _take(operation, form, environ):
    """The rule that fires for this call, counting it; None when no rule applies."""
    account = None
    with _lock:
        for rule in _rules:
            if rule["operation"] != operation:
                continue
            if rule.get("roleArn") is not None and form.get("RoleArn") != rule["roleArn"]:
                continue
            if rule.get("account") is not None:
                account = account or calling_account(environ)
                if account != rule["account"]:
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
        query, form = False, {}
        if operation is None:
            form = _query_form(environ)
            operation = form.get("Action")
            query = operation is not None
        rule = _take(operation, form, environ) if operation else None
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
                    "roleArn": body.get("roleArn"), "account": body.get("account"), "fired": 0}
            with _lock:
                _rules.append(rule)
            return _json(start_response, 200, rule)
        with _lock:
            return _json(start_response, 200, {"rules": [dict(r) for r in _rules]})
