"""ecs-bridge's extension of moto 5.2.1's ECR backend: image scans and tag moves as real ECR reports them.

install() patches moto.ecr in this process (the launcher calls it before the server starts). What changes vs moto:

PutImage
  - a (mutable) tag pushed again on another manifest moves: the image that carried it stays in the repository
    (untagged when that was its only tag), as ECR keeps it; moto deleted it. Immutable tags:
    ecsbridge_ecr_replication.py.
  - imagePushedAt has millisecond precision (moto: whole seconds, so images pushed in one second tied).
  - with the repository's imageScanningConfiguration.scanOnPush true, a new image's basic scan starts at once
    (moto scanned nothing on push).
StartImageScan: moto's checks (the repository, the image, one scan a day) then the same scan starts.
A scan (no threads: computed on every call from elapsed time) is IN_PROGRESS for ECSBRIDGE_MOTO_SCAN_SECONDS
  (float, default 1, read when the scan starts), then COMPLETE. Its findings are chosen by the pushed manifest's
  annotations (the OCI manifest member; ECR stores the manifest as pushed and does not read annotations):
    "ecsbridge.io/moto-scan-findings": "CRITICAL=1,HIGH=2"   the findingSeverityCounts (default: none, {})
    "ecsbridge.io/moto-scan-seconds": "3600"                 this image's scan duration (hold a scan IN_PROGRESS)
DescribeImages: an image that was scanned reports imageScanStatus {status, description} and, once COMPLETE,
  imageScanFindingsSummary {imageScanCompletedAt, vulnerabilitySourceUpdatedAt, findingSeverityCounts} (moto
  reported neither). An image never scanned reports neither, as ECR.
DescribeImageScanFindings for an image scanned this way: IN_PROGRESS without imageScanFindings while the scan runs,
  then COMPLETE with the counts and one finding per counted vulnerability (names CVE-0000-<n>) instead of moto's
  static HIGH finding. Images scanned before install keep moto's behaviour (custom results via the moto API).

All state lives on moto's Image objects, so /moto-api/reset clears it.
"""
import json
import os
import threading
import time
from datetime import datetime, timezone

from moto.ecr import models

FINDINGS_ANNOTATION = "ecsbridge.io/moto-scan-findings"
SECONDS_ANNOTATION = "ecsbridge.io/moto-scan-seconds"
SCAN_ENV = "ECSBRIDGE_MOTO_SCAN_SECONDS"

_lock = threading.RLock()
_clock = time.time  # tests may replace it
_originals = {}


def scan_seconds():
    return float(os.environ.get(SCAN_ENV, "1"))


def _at(t):
    return datetime.fromtimestamp(t, tz=timezone.utc)


def _annotations(image):
    try:
        return json.loads(image.image_manifest).get("annotations") or {}
    except (ValueError, AttributeError):
        return {}


def _counts(text):
    """"CRITICAL=1,HIGH=2" -> {"CRITICAL": 1, "HIGH": 2}."""
    counts = {}
    for part in (text or "").split(","):
        if "=" in part:
            severity, n = part.split("=", 1)
            counts[severity.strip().upper()] = int(n)
    return counts


def _start_scan(image):
    now = _clock()
    notes = _annotations(image)
    seconds = float(notes.get(SECONDS_ANNOTATION, scan_seconds()))
    image._ecsbridge_scan = {"start": now, "due": now + seconds, "counts": _counts(notes.get(FINDINGS_ANNOTATION))}
    image.last_scan = datetime.today()  # moto's once-a-day rule for StartImageScan


def _scan(image):
    """(status, summary-or-None) of this image's scan now; None when the extension never scanned it."""
    scan = getattr(image, "_ecsbridge_scan", None)
    if scan is None:
        return None
    if _clock() < scan["due"]:
        return {"status": "IN_PROGRESS", "description": "The scan is in progress."}, None
    return ({"status": "COMPLETE", "description": "The scan was completed successfully."},
            {"imageScanCompletedAt": _at(scan["due"]), "vulnerabilitySourceUpdatedAt": _at(scan["start"]),
             "findingSeverityCounts": dict(scan["counts"])})


# read by moto's serializer (DescribeImages' ImageDetail members); None is left out
def _image_scan_status(self):
    scan = _scan(self)
    return scan and scan[0]


def _image_scan_findings_summary(self):
    scan = _scan(self)
    return scan and scan[1]


def _put_image(self, repository_name, image_manifest, image_tag, image_manifest_mediatype=None, digest=None):
    with _lock:
        repository = self.repositories.get(repository_name)
        before = list(repository.images) if repository else []
        image = _originals["put_image"](self, repository_name, image_manifest, image_tag, image_manifest_mediatype,
                                        digest)
        # moto deleted the image the tag moved from: ECR keeps it, without that tag
        for index, old in enumerate(before):
            if old is not image and old not in repository.images:
                old.remove_tag(image_tag)
                if not old.image_tags:
                    old.image_tag = None
                repository.images.insert(min(index, len(repository.images)), old)
        if image not in before:
            image.image_pushed_at = round(_clock(), 3)
            if (repository.image_scanning_configuration or {}).get("scanOnPush"):
                _start_scan(image)
        return image


def _start_image_scan(self, registry_id, repository_name, image_id):
    with _lock:
        result = _originals["start_image_scan"](self, registry_id, repository_name, image_id)
        repo = self._get_repository(repository_name, registry_id)
        _start_scan(repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest")))
        return result


def _describe_image_scan_findings(self, registry_id, repository_name, image_id):
    with _lock:
        repo = self._get_repository(repository_name, registry_id)
        image = repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))
        scan = _scan(image)
        if scan is None:
            return _originals["describe_image_scan_findings"](self, registry_id, repository_name, image_id)
        status, summary = scan
        answer = {"registryId": repo.registry_id, "repositoryName": repository_name,
                  "imageId": {"imageDigest": image.image_digest, **({"imageTag": image_id["imageTag"]}
                                                                    if image_id.get("imageTag") else {})},
                  "imageScanStatus": status}
        if summary is not None:
            findings = []
            for severity, n in sorted(summary["findingSeverityCounts"].items()):
                for _ in range(n):
                    findings.append({"name": f"CVE-0000-{len(findings) + 1:04d}", "severity": severity,
                                     "uri": "https://example.invalid/ecsbridge-moto", "attributes": []})
            answer["imageScanFindings"] = {**summary, "findings": findings}
        return answer


def install():
    """Patches moto's ECR backend in this process (idempotent)."""
    if _originals:
        return
    backend = models.ECRBackend
    _originals.update(put_image=backend.put_image, start_image_scan=backend.start_image_scan,
                      describe_image_scan_findings=backend.describe_image_scan_findings)
    backend.put_image = _put_image
    backend.start_image_scan = _start_image_scan
    backend.describe_image_scan_findings = _describe_image_scan_findings
    models.Image.image_scan_status = property(_image_scan_status)
    models.Image.image_scan_findings_summary = property(_image_scan_findings_summary)
