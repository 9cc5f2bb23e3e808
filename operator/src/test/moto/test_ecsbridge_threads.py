"""ecsbridge_threads.py: one request's include=[TAGS] is never undone by another request answered at the same time."""
import os
import sys
import threading
import urllib.request

import boto3
import pytest
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ecsbridge_threads  # noqa: E402
from moto_process import moto_server  # noqa: E402


def test_each_response_keeps_its_own_include_and_exclude():
    from moto.ecs.responses import DESCRIBE_SERVICES_TAGS, EC2ContainerServiceResponse
    ecsbridge_threads.install()
    with_tags, without = EC2ContainerServiceResponse(), EC2ContainerServiceResponse()
    with_tags._include_in_response(DESCRIBE_SERVICES_TAGS)
    without._exclude_from_response(DESCRIBE_SERVICES_TAGS)  # another request, answered meanwhile
    assert with_tags.RESPONSE_KEY_PATH_TO_TRANSFORMER[DESCRIBE_SERVICES_TAGS]("tags") == "tags"
    assert without.RESPONSE_KEY_PATH_TO_TRANSFORMER[DESCRIBE_SERVICES_TAGS]("tags") != "tags"


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def test_concurrent_describe_services_with_and_without_tags(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass
    ecs = boto3.client("ecs", region_name="eu-west-1", endpoint_url=endpoint, aws_access_key_id="test",
                       aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1},
                                                                   max_pool_connections=16))
    ecs.create_cluster(clusterName="apps")
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="apps", serviceName="web", taskDefinition="web", desiredCount=0,
                       tags=[{"key": "ecsbridge.io/owner", "value": "x"}])
    stripped = []
    errors = []

    def with_tags():
        try:
            for _ in range(60):
                s = ecs.describe_services(cluster="apps", services=["web"], include=["TAGS"])["services"][0]
                if not s.get("tags"):
                    stripped.append(1)
        except Exception as e:  # noqa: BLE001 - the test reports it
            errors.append(e)

    def without_tags():
        try:
            for _ in range(60):
                ecs.describe_services(cluster="apps", services=["web"])
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=f) for f in (with_tags, without_tags) * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert stripped == [], f"{len(stripped)} of 240 DescribeServices with include=[TAGS] came back without tags"
