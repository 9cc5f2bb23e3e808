"""ecsbridge_faults.py: injected AWS errors, against a moto server started by the launcher."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def call(endpoint, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + path, data=data, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


@pytest.fixture
def ecr(endpoint):
    call(endpoint, "POST", "/moto-api/reset")
    # no retries: every injected failure must reach the test as it is
    return boto3.client("ecr", region_name="eu-west-1", endpoint_url=endpoint, aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


def test_fails_the_named_operation_with_the_given_code_and_message(endpoint, ecr):
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "CreateRepository", "code": "AccessDeniedException",
                                                 "message": "not allowed to ecr:CreateRepository", "status": 400})
    with pytest.raises(ClientError) as e:
        ecr.create_repository(repositoryName="web")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert e.value.response["Error"]["Message"] == "not allowed to ecr:CreateRepository"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # other operations are untouched, and nothing was created
    assert ecr.describe_repositories()["repositories"] == []


def test_times_limits_the_failures_then_the_call_works(endpoint, ecr):
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "CreateRepository", "code": "ServerException",
                                                 "status": 500, "times": 2})
    for _ in range(2):
        with pytest.raises(ClientError):
            ecr.create_repository(repositoryName="web")
    assert ecr.create_repository(repositoryName="web")["repository"]["repositoryName"] == "web"
    assert call(endpoint, "GET", "/ecsbridge/faults")["rules"][0]["fired"] == 2


def test_after_does_the_work_and_loses_the_reply(endpoint, ecr):
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "CreateRepository", "after": True, "times": 1})
    with pytest.raises(ClientError) as e:
        ecr.create_repository(repositoryName="web")
    assert e.value.response["Error"]["Code"] == "InternalFailure"
    assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["web"]


def test_delete_and_reset_clear_every_rule(endpoint, ecr):
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "DescribeRepositories", "code": "AccessDeniedException",
                                                 "status": 400})
    call(endpoint, "DELETE", "/ecsbridge/faults")
    assert ecr.describe_repositories()["repositories"] == []
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "DescribeRepositories", "code": "AccessDeniedException",
                                                 "status": 400})
    call(endpoint, "POST", "/moto-api/reset")
    assert call(endpoint, "GET", "/ecsbridge/faults")["rules"] == []
    assert ecr.describe_repositories()["repositories"] == []


def test_query_protocol_calls_fail_in_their_own_shape_then_heal(endpoint):
    call(endpoint, "POST", "/moto-api/reset")
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                       aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
    role = "arn:aws:iam::111111111111:role/team-a"
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "AssumeRole", "code": "AccessDenied", "status": 403,
                                                 "message": "not authorized to perform: sts:AssumeRole on " + role})
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role, RoleSessionName="it")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert e.value.response["Error"]["Message"] == "not authorized to perform: sts:AssumeRole on " + role
    # other Query calls pass, with their body intact
    assert sts.get_caller_identity()["Account"]
    call(endpoint, "DELETE", "/ecsbridge/faults")
    assert sts.assume_role(RoleArn=role, RoleSessionName="it")["AssumedRoleUser"]["Arn"].startswith(
        "arn:aws:sts::111111111111:assumed-role/team-a/")
