"""Starts the launcher (ecsbridge_moto.py) on a free loopback port for the pytest tests; shared by them."""
import contextlib
import os
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(HERE, "ecsbridge_moto.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_server(env=None):
    """Yields the endpoint of a moto server started by the launcher; stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, LAUNCHER, "--host", "127.0.0.1", "--port", str(port)],
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY "), line
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
