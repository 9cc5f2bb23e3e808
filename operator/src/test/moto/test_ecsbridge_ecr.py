"""ecsbridge_ecr.py: ECR's image scans and tag moves, against a moto server started by the launcher (scans 0.5 s)."""
import json
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server

SCAN = 0.5
DEADLINE = 15.0


@pytest.fixture(scope="module")
def endpoint():
    with moto_server({"ECSBRIDGE_MOTO_SCAN_SECONDS": str(SCAN)}) as url:
        yield url


@pytest.fixture
def ecr(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass
    return boto3.client("ecr", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


def manifest(layer, **annotations):
    """An OCI image manifest; its layer number makes its digest, annotations choose the scan."""
    body = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7,
                       "digest": "sha256:" + "c" * 64},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 5,
                        "digest": f"sha256:{layer:064x}"}]}
    if annotations:
        body["annotations"] = annotations
    return json.dumps(body)


def push(ecr, tag, layer, **annotations):
    return ecr.put_image(repositoryName="web", imageTag=tag, imageManifest=manifest(layer, **annotations))["image"]


def details(ecr, **image_id):
    args = {"imageIds": [image_id]} if image_id else {}
    return ecr.describe_images(repositoryName="web", **args)["imageDetails"]


def until(condition, read):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = read()
        if condition(value):
            return value
        assert time.monotonic() < deadline, f"condition not met in {DEADLINE} s; last: {value}"
        time.sleep(0.05)


def test_scan_on_push_is_in_progress_then_complete_with_the_annotated_counts(ecr):
    ecr.create_repository(repositoryName="web", imageScanningConfiguration={"scanOnPush": True})
    digest = push(ecr, "v1", 1, **{"ecsbridge.io/moto-scan-findings": "CRITICAL=1,HIGH=2"})["imageId"]["imageDigest"]
    first = details(ecr, imageTag="v1")[0]
    assert first["imageScanStatus"]["status"] == "IN_PROGRESS"
    assert "imageScanFindingsSummary" not in first
    done = until(lambda d: d["imageScanStatus"]["status"] == "COMPLETE", lambda: details(ecr, imageTag="v1")[0])
    assert done["imageDigest"] == digest
    assert done["imageScanFindingsSummary"]["findingSeverityCounts"] == {"CRITICAL": 1, "HIGH": 2}
    assert done["imageScanFindingsSummary"]["imageScanCompletedAt"] >= done["imagePushedAt"]
    findings = ecr.describe_image_scan_findings(repositoryName="web", imageId={"imageDigest": digest})
    assert findings["imageScanStatus"]["status"] == "COMPLETE"
    assert findings["imageScanFindings"]["findingSeverityCounts"] == {"CRITICAL": 1, "HIGH": 2}
    assert sorted(f["severity"] for f in findings["imageScanFindings"]["findings"]) == ["CRITICAL", "HIGH", "HIGH"]


def test_a_clean_image_completes_with_no_findings(ecr):
    ecr.create_repository(repositoryName="web", imageScanningConfiguration={"scanOnPush": True})
    push(ecr, "v1", 1)
    done = until(lambda d: d["imageScanStatus"]["status"] == "COMPLETE", lambda: details(ecr, imageTag="v1")[0])
    assert done["imageScanFindingsSummary"]["findingSeverityCounts"] == {}
    findings = ecr.describe_image_scan_findings(repositoryName="web", imageId={"imageTag": "v1"})
    assert findings["imageScanFindings"]["findings"] == []


def test_a_scan_is_held_in_progress_by_its_annotation(ecr):
    ecr.create_repository(repositoryName="web", imageScanningConfiguration={"scanOnPush": True})
    push(ecr, "held", 1, **{"ecsbridge.io/moto-scan-seconds": "3600"})
    time.sleep(SCAN * 2)  # longer than the default scan: this one is still running
    assert details(ecr, imageTag="held")[0]["imageScanStatus"]["status"] == "IN_PROGRESS"
    findings = ecr.describe_image_scan_findings(repositoryName="web", imageId={"imageTag": "held"})
    assert findings["imageScanStatus"]["status"] == "IN_PROGRESS" and "imageScanFindings" not in findings


def test_without_scan_on_push_nothing_is_scanned_until_start_image_scan(ecr):
    ecr.create_repository(repositoryName="web")
    push(ecr, "v1", 1, **{"ecsbridge.io/moto-scan-findings": "MEDIUM=3"})
    time.sleep(SCAN * 2)
    image = details(ecr, imageTag="v1")[0]
    assert "imageScanStatus" not in image and "imageScanFindingsSummary" not in image
    with pytest.raises(ClientError) as e:
        ecr.describe_image_scan_findings(repositoryName="web", imageId={"imageTag": "v1"})
    assert e.value.response["Error"]["Code"] == "ScanNotFoundException"

    assert ecr.start_image_scan(repositoryName="web", imageId={"imageTag": "v1"})["imageScanStatus"]["status"] \
        == "IN_PROGRESS"
    done = until(lambda d: d["imageScanStatus"]["status"] == "COMPLETE", lambda: details(ecr, imageTag="v1")[0])
    assert done["imageScanFindingsSummary"]["findingSeverityCounts"] == {"MEDIUM": 3}
    with pytest.raises(ClientError) as e:  # one scan a day, as ECR (and moto)
        ecr.start_image_scan(repositoryName="web", imageId={"imageTag": "v1"})
    assert e.value.response["Error"]["Code"] == "LimitExceededException"


def test_a_tag_pushed_again_moves_and_the_old_image_stays_untagged(ecr):
    ecr.create_repository(repositoryName="web")
    old = push(ecr, "v1", 1)["imageId"]["imageDigest"]
    new = push(ecr, "v1", 2)["imageId"]["imageDigest"]
    assert old != new
    assert details(ecr, imageTag="v1")[0]["imageDigest"] == new
    by_digest = {d["imageDigest"]: d for d in details(ecr)}
    assert set(by_digest) == {old, new}
    assert "imageTags" not in by_digest[old] and by_digest[new]["imageTags"] == ["v1"]
    assert {"imageDigest": old} in ecr.list_images(repositoryName="web")["imageIds"]
    # an image with two tags only loses the one that moved
    push(ecr, "stable", 2)
    newest = push(ecr, "v1", 3)["imageId"]["imageDigest"]
    by_digest = {d["imageDigest"]: d for d in details(ecr)}
    assert by_digest[new]["imageTags"] == ["stable"] and by_digest[newest]["imageTags"] == ["v1"]


def test_images_pushed_in_one_second_have_distinct_push_times(ecr):
    ecr.create_repository(repositoryName="web")
    for n in range(3):
        push(ecr, f"v{n}", n)
    pushed = [d["imagePushedAt"] for d in sorted(details(ecr), key=lambda d: d["imageTags"][0])]
    assert pushed == sorted(pushed) and len(set(pushed)) == 3
