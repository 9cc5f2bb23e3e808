"""The launcher starts moto on the given port, says READY, resets, and refuses a moto it was not written for."""
import subprocess
import sys
import urllib.request

from moto_process import HERE, LAUNCHER, free_port


def test_starts_says_ready_and_resets():
    port = free_port()
    proc = subprocess.Popen([sys.executable, LAUNCHER, "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"READY http://127.0.0.1:{port}"
        req = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_pinned_version_is_read_from_requirements():
    sys.path.insert(0, HERE)
    import ecsbridge_moto
    from importlib.metadata import version
    assert ecsbridge_moto.pinned_moto_version() == version("moto")
