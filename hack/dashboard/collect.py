#!/usr/bin/env python3
"""Collects real /metrics scrapes of the operator at work, for render.py (`make dashboard-png`).

Starts `make run`'s local stack (hack/run-local.sh: kube-apiserver + etcd + moto + the operator, samples/app applied,
never real AWS; its run directory operator/target/dashboard-run, so a `make run` in .run is not disturbed), waits until it says everything is Ready, then scrapes the operator's /metrics every INTERVAL seconds
while it plays a short scenario on it:
  +30s  push the image tag shop/web:v1 again (hack/push-image.sh): a new task definition revision, a rollout;
  +60s  apply EcsTaskDefinition + EcsService shop-broken whose image fails to start (moto's `ecsbridge-fail`
        image, see operator/src/test/moto/README.md) without rollback: the rollout fails, the service is Stalled;
        and an EcrRepository audit whose CreateRepository moto answers AccessDeniedException (its fault endpoint):
        Stalled too;
  +120s moto throttles DescribeServices (ThrottlingException, 40 times) while reconciles are asked for every 5s.
Then stops the stack (SIGINT, as Ctrl-C: it removes everything it made). Writes one JSON line per scrape:
{"t": unix seconds, "text": the /metrics body} to OUT, then one per scenario step: {"t", "event": what was done}.

usage: collect.py OUT [--seconds 270] [--interval 5]
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# its own run directory (kubeconfig, kubectl, moto-endpoint): a `make run` in .run is left alone
RUN = os.path.join(ROOT, "operator", "target", "dashboard-run")
NS = "demo"


def log(msg):
    print(f"[dashboard-png] {time.strftime('%H:%M:%S')} {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kubectl(*args, stdin=None):
    r = subprocess.run([os.path.join(RUN, "kubectl"), "-n", NS, *args], input=stdin, text=True,
                       capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"kubectl {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def moto(method, path, body=None):
    endpoint = open(os.path.join(RUN, "moto-endpoint")).read().strip().rstrip("/")
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(endpoint + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read().decode()


def broken_service():
    """shop-broken: shop-web's network, a task definition whose image never starts, no rollback."""
    web = json.loads(kubectl("get", "ecsservice", "shop-web", "-o", "json"))
    td = {"apiVersion": "ecsbridge.io/v1alpha1", "kind": "EcsTaskDefinition", "metadata": {"name": "shop-broken"},
          "spec": {"family": "shop-broken", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
                   "cpu": "256", "memory": "512",
                   "containerDefinitions": [{"name": "web", "image": "registry.example/web:ecsbridge-fail",
                                             "essential": True}]}}
    svc = {"apiVersion": "ecsbridge.io/v1alpha1", "kind": "EcsService", "metadata": {"name": "shop-broken"},
           "spec": {"clusterRef": {"name": "shop"}, "taskDefinitionRef": {"name": "shop-broken"},
                    "desiredCount": 1, "launchType": "FARGATE",
                    "networkConfiguration": web["spec"]["networkConfiguration"],
                    "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": True, "rollback": False}}}}
    repo = {"apiVersion": "ecsbridge.io/v1alpha1", "kind": "EcrRepository", "metadata": {"name": "audit"},
            "spec": {"repositoryName": "shop/audit"}}
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [td, svc, repo]})


def request_reconciles():
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}Z"
    kubectl("annotate", "ecsservices", "--all", "--overwrite", f"ecsbridge.io/reconcile-requested-at={stamp}")


def scenario(start, events):
    def at(seconds):
        time.sleep(max(0.0, start + seconds - time.time()))

    def event(what):
        events.append({"t": time.time(), "event": what})
    at(30)
    event("shop/web:v1 pushed again (rollout)")
    log("pushing shop/web:v1 again (a new digest): a new revision, a rollout")
    subprocess.run(["bash", os.path.join(ROOT, "hack/push-image.sh"), "shop/web", "v1"], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, ECSBRIDGE_RUN_DIR=RUN))
    at(60)
    event("shop-broken applied (its rollout fails), EcrRepository audit applied (AccessDenied)")
    log("moto: CreateRepository answers AccessDeniedException; applying shop-broken (failing image) and audit")
    moto("POST", "/ecsbridge/faults", {"operation": "CreateRepository", "code": "AccessDeniedException",
                                       "message": "User is not authorized to perform: ecr:CreateRepository",
                                       "status": 400})
    kubectl("apply", "-f", "-", stdin=broken_service())
    at(120)
    event("moto throttles DescribeServices (40 calls)")
    log("moto: DescribeServices throttled (ThrottlingException x40); reconciles requested every 5s for 40s")
    moto("POST", "/ecsbridge/faults", {"operation": "DescribeServices", "code": "ThrottlingException",
                                       "message": "Rate exceeded", "status": 400, "times": 40})
    for i in range(8):
        at(120 + 5 * i)
        request_reconciles()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seconds", type=float, default=270)
    ap.add_argument("--interval", type=float, default=5)
    a = ap.parse_args()
    port = free_port()
    env = dict(os.environ, ECSBRIDGE_HTTP_PORT=str(port), ECSBRIDGE_RUN_DIR=RUN,
               JAVA_TOOL_OPTIONS=(os.environ.get("JAVA_TOOL_OPTIONS", "") + f" -Decsbridge.run.dir={RUN}").strip())
    os.makedirs(RUN, exist_ok=True)
    stack_log = open(os.path.join(RUN, "dashboard-stack.log"), "w")
    log(f"starting make run's local stack (hack/run-local.sh), operator on 127.0.0.1:{port}; "
        f"its output in {stack_log.name}")
    # SIGINT at its default for the stack (stopped by it below): a JVM leaves a signal ignored at its start
    # ignored, and a script run in the background (`make dashboard-png &`) starts with SIGINT ignored
    stack = subprocess.Popen(["env", "--default-signal=INT", "bash", os.path.join(ROOT, "hack/run-local.sh")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    ready = threading.Event()

    def pump():
        for line in stack.stdout:
            stack_log.write(line)
            stack_log.flush()
            if "Ctrl-C stops" in line:
                ready.set()
    threading.Thread(target=pump, daemon=True).start()
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        deadline = time.time() + 900
        while not ready.wait(2):
            if stack.poll() is not None or time.time() > deadline:
                raise SystemExit(f"the local stack did not come up: see {stack_log.name}")
        log("stack up, samples Ready; scraping " + url)
        start = time.time()
        errors, events = [], []

        def play():
            try:
                scenario(start, events)
            except Exception as e:  # noqa: BLE001 - reported below, the run then fails
                errors.append(e)
        player = threading.Thread(target=play, daemon=True)
        player.start()
        n = 0
        with open(a.out, "w") as out:
            while time.time() - start < a.seconds:
                t = time.time()
                with urllib.request.urlopen(url, timeout=10) as r:
                    out.write(json.dumps({"t": t, "text": r.read().decode()}) + "\n")
                out.flush()
                n += 1
                time.sleep(max(0.0, start + n * a.interval - time.time()))
            player.join(5)
            for e in events:
                out.write(json.dumps(e) + "\n")
        if errors:
            raise SystemExit(f"the scenario failed: {errors[0]}")
        log(f"{n} scrapes in {a.out}")
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGINT)
            try:
                stack.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
