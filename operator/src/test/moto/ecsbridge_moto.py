#!/usr/bin/env python3
"""The AWS emulator of ecs-bridge's tests and `make run`: a moto server (the version pinned in
hack/moto/requirements.txt) on a loopback port, with a small extension of moto's ECS backend
(see ecsbridge_ecs.py) so that services roll out like real ECS, with ECS's service deployment APIs and its
blue/green, linear and canary strategies (ecsbridge_deployments.py), of its ECS capacity providers
(ecsbridge_capacity.py) so that they are created, updated and deleted like ECS's, of its ECR backend (ecsbridge_ecr.py) so that
images are scanned and tags move like real ECR, with ECR's pull-through cache rules, repository creation templates and
registry policy actions (ecsbridge_ecr_registry.py), replication that happens, tag mutability exclusions, create on
push and pull through on demand (ecsbridge_ecr_replication.py), ECS ARNs of another account or region that name
nothing in the caller's (ecsbridge_arns.py), and a fault injector (ecsbridge_faults.py) so
that tests can make chosen operations fail as AWS does.

    python3 ecsbridge_moto.py --host 127.0.0.1 --port 5000

Prints one line "READY <endpoint>" on stdout once the server answers, then serves until killed.
Environment: ECSBRIDGE_MOTO_ROLLOUT_SECONDS (how long a deployment takes to complete, default 2),
ECSBRIDGE_MOTO_STAGE_SECONDS (how long each stage of a blue/green, linear or canary deployment lasts, default 0.5),
ECSBRIDGE_MOTO_MINUTE_SECONDS (how long one minute of their bake times lasts, default 1),
ECSBRIDGE_MOTO_SCAN_SECONDS (how long an image scan takes, default 1).
"""
import argparse
import os
import signal
import sys
import threading
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

PINNED_REQUIREMENTS = os.path.join(HERE, "..", "..", "..", "..", "hack", "moto", "requirements.txt")


def pinned_moto_version():
    with open(PINNED_REQUIREMENTS, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("moto"):
                return line.split("==", 1)[1].strip()
    raise SystemExit("no moto pin in " + PINNED_REQUIREMENTS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()

    want = pinned_moto_version()
    have = version("moto")
    if have != want:
        raise SystemExit(f"ecsbridge_moto: moto {have} is installed but the extension is written for {want} "
                         f"(hack/moto/requirements.txt); run hack/moto/ensure-moto.sh")

    import ecsbridge_threads
    ecsbridge_threads.install()
    import ecsbridge_ecs
    ecsbridge_ecs.install()
    import ecsbridge_deployments
    ecsbridge_deployments.install()
    import ecsbridge_ecr
    ecsbridge_ecr.install()
    import ecsbridge_ecr_registry
    ecsbridge_ecr_registry.install()
    import ecsbridge_ecr_replication
    ecsbridge_ecr_replication.install()
    import ecsbridge_capacity
    ecsbridge_capacity.install()
    import ecsbridge_arns
    ecsbridge_arns.install()  # after ecsbridge_ecs and ecsbridge_capacity: wraps what they installed

    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per request
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    import ecsbridge_faults
    # moto's own ThreadedMotoServer, with the fault injector (ecsbridge_faults.py) in front of moto's app
    server = make_server(args.host, args.port, ecsbridge_faults.FaultInjector(
        DomainDispatcherApplication(create_backend_app)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"READY http://{args.host}:{args.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    thread.join()


if __name__ == "__main__":
    main()
