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


def sts_client(endpoint, **keys):
    keys = keys or {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    return boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint, **keys,
                        config=Config(retries={"total_max_attempts": 1}))


def assumed(endpoint, service, role):
    c = sts_client(endpoint).assume_role(RoleArn=role, RoleSessionName="it")["Credentials"]
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=c["AccessKeyId"],
                        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"],
                        config=Config(retries={"total_max_attempts": 1}))


def test_role_arn_makes_only_that_role_unassumable(endpoint):
    call(endpoint, "POST", "/moto-api/reset")
    sts = sts_client(endpoint)
    blocked, other = "arn:aws:iam::111111111111:role/team-a", "arn:aws:iam::222222222222:role/team-b"
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "AssumeRole", "roleArn": blocked, "code": "AccessDenied",
                                                 "status": 403, "message": "not authorized: sts:AssumeRole"})
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=blocked, RoleSessionName="it")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert sts.assume_role(RoleArn=other, RoleSessionName="it")["AssumedRoleUser"]["Arn"].startswith(
        "arn:aws:sts::222222222222:assumed-role/team-b/")
    # the same role under another name of the account is another role
    assert sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/team-c", RoleSessionName="it")
    rules = call(endpoint, "GET", "/ecsbridge/faults")["rules"]
    assert [(r["roleArn"], r["fired"]) for r in rules] == [(blocked, 1)]


def test_account_makes_only_that_accounts_calls_fail(endpoint):
    call(endpoint, "POST", "/moto-api/reset")
    first = assumed(endpoint, "ecr", "arn:aws:iam::111111111111:role/team-a")
    second = assumed(endpoint, "ecr", "arn:aws:iam::222222222222:role/team-b")
    default = boto3.client("ecr", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                           aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "CreateRepository", "account": "111111111111",
                                                 "code": "AccessDeniedException", "status": 400})
    with pytest.raises(ClientError) as e:
        first.create_repository(repositoryName="web")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert second.create_repository(repositoryName="web")["repository"]["registryId"] == "222222222222"
    assert default.create_repository(repositoryName="web")["repository"]["registryId"] == "123456789012"
    assert first.describe_repositories()["repositories"] == []
    # the default account is named like any other
    call(endpoint, "DELETE", "/ecsbridge/faults")
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "DescribeRepositories", "account": "123456789012",
                                                 "code": "AccessDeniedException", "status": 400})
    with pytest.raises(ClientError):
        default.describe_repositories()
    assert first.describe_repositories()["repositories"] == []


def test_account_and_role_arn_together_match_one_caller_assuming_one_role(endpoint):
    call(endpoint, "POST", "/moto-api/reset")
    role = "arn:aws:iam::222222222222:role/team-b"
    from_first = assumed(endpoint, "sts", "arn:aws:iam::111111111111:role/hub")
    call(endpoint, "POST", "/ecsbridge/faults", {"operation": "AssumeRole", "roleArn": role,
                                                 "account": "111111111111", "code": "AccessDenied", "status": 403})
    with pytest.raises(ClientError):
        from_first.assume_role(RoleArn=role, RoleSessionName="it")
    assert sts_client(endpoint).assume_role(RoleArn=role, RoleSessionName="it")["Credentials"]["AccessKeyId"]
